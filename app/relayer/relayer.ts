/**
 * The relay loop for one path, over two ChainEnds (chain-end.ts): over RPC for `parazone relay`
 * (rpc-end.ts), in process for tests. Every round starts from the chains: packets in flight and
 * written acks come from each chain's own queries, what the other end received from its
 * unreceived-packets query, proofs from `/store/ibc/key`. So a relayer killed at any point loses nothing, and two relayers on one path only waste fees: a
 * repeated receive is a no-op, a repeated ack or timeout is a failed tx (logged, not fatal).
 *
 * Heights (see modules/ibc/README.md): a proof of the state after block H is checked against the
 * consensus state at H+1, so the relayer updates the destination's client to a header L and
 * proves at L-1, submitting proofHeight L.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { Logger } from 'pino';
import type { Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { revisionNumberOf } from '../../modules/ibc/light-clients/07-tendermint/index.js';
import { IbcTypeUrls, packetAckKey, packetCommitmentKey, packetReceiptKey } from '../../modules/ibc/index.js';
import type { ChainEnd, SubmitResult } from './chain-end.js';
import { MAX_PACKETS_PER_TX_HINT } from './chain-kinds.js';
import type { PathEnds } from './setup.js';

/** One end of the path: a chain and its client of the other chain. */
export interface End {
  readonly chain: ChainEnd;
  readonly clientId: string;
}

/** What one round did, per kind; `failedTxs` counts txs that landed with an error or were refused. */
export interface RoundStats {
  received: number;
  acknowledged: number;
  timedOut: number;
  txs: number;
  failedTxs: number;
}

const emptyStats = (): RoundStats => ({ received: 0, acknowledged: 0, timedOut: 0, txs: 0, failedTxs: 0 });

/** Packets closer than this to their timeout (by the destination's clock) are left to time out. */
const RECV_TIMEOUT_MARGIN_SECONDS = 2n;
/** Packets per relayed tx (each Msg carries a proof of ~1–2 kB); the rest wait for the next round. */
export const MAX_PACKETS_PER_TX = MAX_PACKETS_PER_TX_HINT;

export class Relayer {
  readonly a: End;
  readonly b: End;

  constructor(
    a: ChainEnd,
    b: ChainEnd,
    ends: PathEnds,
    private readonly log: Logger,
  ) {
    this.a = { chain: a, clientId: ends.clientOnA };
    this.b = { chain: b, clientId: ends.clientOnB };
  }

  /** One pass over both directions: receives first (one tx per chain, in parallel), then acks and timeouts. */
  async relayOnce(): Promise<RoundStats> {
    const stats = emptyStats();
    const [onB, onA] = await Promise.all([this.relayReceives(this.a, this.b, stats), this.relayReceives(this.b, this.a, stats)]);
    // Acks written by this round's receives are provable once the destination has the next block.
    await Promise.all([this.waitPast(this.b.chain, onB), this.waitPast(this.a.chain, onA)]);
    await Promise.all([this.relayAcksAndTimeouts(this.a, this.b, stats), this.relayAcksAndTimeouts(this.b, this.a, stats)]);
    return stats;
  }

  /** Relays until `signal` aborts; a failing round is logged and retried after `pollMs`. */
  async run(signal: AbortSignal, pollMs: number): Promise<void> {
    while (!signal.aborted) {
      try {
        const s = await this.relayOnce();
        if (s.txs > 0) this.log.info(s, 'round');
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'round failed; retrying');
      }
      if (!signal.aborted) await sleep(pollMs, signal);
    }
  }

  // ----------------------------------------------------------------------------- directions

  /** Waits (bounded) until `chain` is past `height`; a no-op for 0. */
  private async waitPast(chain: ChainEnd, height: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (height > 0 && Date.now() < deadline && (await chain.latestHeight()) <= height) await new Promise((r) => setTimeout(r, 50));
  }

  /**
   * Receives on `dst` every packet `src` has in flight that `dst` has not received. Returns the
   * height of dst's block holding the receives (0 if none landed).
   */
  async relayReceives(src: End, dst: End, stats: RoundStats): Promise<number> {
    const started = performance.now();
    const S = await src.chain.latestHeight();
    if (S < 2) return 0;
    // Pending as of the state after S-1: exactly what a proof at S-1 (proofHeight S) covers.
    const pending = await this.pending(src, S - 1);
    if (pending.length === 0) return 0;
    const unreceived = await this.unreceived(
      dst,
      pending.map((p) => p.sequence),
    );
    const dstTime = await dst.chain.latestTimeSeconds();
    const todo = pending
      .filter((p) => unreceived.has(p.sequence) && p.timeoutTimestamp > dstTime + RECV_TIMEOUT_MARGIN_SECONDS)
      .slice(0, MAX_PACKETS_PER_TX);
    if (todo.length === 0) return 0;
    const { proofHeight, update } = await this.consensusFor(dst, src.chain, S);
    const proofs = await Promise.all(todo.map((p) => src.chain.prove(packetCommitmentKey(src.clientId, p.sequence), proofHeight - 1)));
    const built = performance.now();
    const msgs: EncodeObject[] = [
      ...(update ? [update] : []),
      ...todo.map((packet, i) => ({
        typeUrl: IbcTypeUrls.recvPacket,
        value: { packet, proofCommitment: proofs[i]!.proof, proofHeight: this.height(src.chain, proofHeight), signer: dst.chain.address },
      })),
    ];
    const res = await dst.chain.submit(msgs);
    const timing = { buildMs: Math.round(built - started), submitMs: Math.round(performance.now() - built) };
    this.count(stats, res, 'received', todo.length, {
      from: src.chain.chainId,
      to: dst.chain.chainId,
      sequences: seqList(todo),
      proofHeight,
      ...timing,
    });
    return res.code === 0 ? res.height : 0;
  }

  /** On `src`: acknowledgements `dst` wrote for src's packets, and timeouts of packets `dst` can no longer receive. */
  async relayAcksAndTimeouts(src: End, dst: End, stats: RoundStats): Promise<void> {
    const started = performance.now();
    const pending = (await this.pending(src, 0)).slice(0, MAX_PACKETS_PER_TX);
    if (pending.length === 0) return;
    const D = await dst.chain.latestHeight();
    if (D < 2) return;
    const acks = (
      await Promise.all(
        pending.map(async (packet) => {
          const ack = await dst.chain.writtenAcknowledgement(dst.clientId, packet.sequence, D - 1);
          return ack === undefined ? undefined : { packet, ack };
        }),
      )
    ).filter((x) => x !== undefined);
    const acked = new Set(acks.map((x) => x.packet.sequence));
    const header = await dst.chain.signedHeader(D);
    const dTime = BigInt(header.header!.time.seconds);
    const expired = pending.filter((p) => !acked.has(p.sequence) && p.timeoutTimestamp <= dTime);
    const unreceived =
      expired.length === 0
        ? new Set<bigint>()
        : await this.unreceived(
            dst,
            expired.map((p) => p.sequence),
            D - 1,
          );
    const timeouts = expired.filter((p) => unreceived.has(p.sequence));
    if (acks.length === 0 && timeouts.length === 0) return;
    // Timeouts need a consensus state at least as late as the timeout: always D (or later).
    const { proofHeight, update } = await this.consensusFor(src, dst.chain, D, header);
    const [ackProofs, timeoutProofs] = await Promise.all([
      Promise.all(acks.map((x) => dst.chain.prove(packetAckKey(dst.clientId, x.packet.sequence), proofHeight - 1))),
      Promise.all(timeouts.map((p) => dst.chain.prove(packetReceiptKey(dst.clientId, p.sequence), proofHeight - 1))),
    ]);
    const h = this.height(dst.chain, proofHeight);
    const signer = src.chain.address;
    const built = performance.now();
    const msgs: EncodeObject[] = [
      ...(update ? [update] : []),
      ...acks.map(({ packet, ack }, i) => ({
        typeUrl: IbcTypeUrls.acknowledgement,
        value: { packet, acknowledgement: ack, proofAcked: ackProofs[i]!.proof, proofHeight: h, signer },
      })),
      ...timeouts.map((packet, i) => ({
        typeUrl: IbcTypeUrls.timeout,
        value: { packet, proofUnreceived: timeoutProofs[i]!.proof, proofHeight: h, signer },
      })),
    ];
    const res = await src.chain.submit(msgs);
    const where = {
      on: src.chain.chainId,
      of: dst.chain.chainId,
      proofHeight,
      buildMs: Math.round(built - started),
      submitMs: Math.round(performance.now() - built),
    };
    if (acks.length > 0)
      this.count(
        stats,
        res,
        'acknowledged',
        acks.length,
        { ...where, sequences: seqList(acks.map((x) => x.packet)) },
        timeouts.length === 0,
      );
    if (timeouts.length > 0) this.count(stats, res, 'timedOut', timeouts.length, { ...where, sequences: seqList(timeouts) });
  }

  // ----------------------------------------------------------------------------- helpers

  private async pending(src: End, height: number): Promise<Packet[]> {
    return src.chain.pendingPackets(src.clientId, height);
  }

  private async unreceived(dst: End, sequences: bigint[], height = 0): Promise<Set<bigint>> {
    return dst.chain.unreceivedPackets(dst.clientId, sequences, height);
  }

  private height(of: ChainEnd, h: number): Height {
    return { revisionNumber: revisionNumberOf(of.chainId), revisionHeight: BigInt(h) };
  }

  /**
   * A consensus state on `host`'s client of `of` at a height ≥ `minHeight`: the client's latest if
   * it is high enough already (another relayer got there first), else a MsgUpdateClient to
   * `minHeight`, trusting the client's latest height.
   */
  async consensusFor(
    host: End,
    of: ChainEnd,
    minHeight: number,
    signedHeader?: SignedHeader,
  ): Promise<{ proofHeight: number; update?: EncodeObject }> {
    const trusted = await host.chain.clientLatestHeight(host.clientId);
    if (trusted >= minHeight) return { proofHeight: trusted };
    const [header, validatorSet, trustedValidators] = await Promise.all([
      signedHeader ?? of.signedHeader(minHeight),
      of.validatorSet(minHeight),
      // The trusted state's next validators: the validators of block trusted+1.
      of.validatorSet(trusted + 1),
    ]);
    const clientMessage = Header.fromPartial({
      signedHeader: header,
      validatorSet,
      trustedHeight: this.height(of, trusted),
      trustedValidators,
    });
    return {
      proofHeight: minHeight,
      update: {
        typeUrl: IbcTypeUrls.updateClient,
        value: {
          clientId: host.clientId,
          clientMessage: { typeUrl: Header.typeUrl, value: Header.encode(clientMessage).finish() },
          signer: host.chain.address,
        },
      },
    };
  }

  private count(
    stats: RoundStats,
    res: SubmitResult,
    kind: 'received' | 'acknowledged' | 'timedOut',
    n: number,
    detail: object,
    countTx = true,
  ): void {
    if (countTx) stats.txs += 1;
    if (res.code === 0) {
      stats[kind] += n;
      this.log.info({ ...detail, tx: res.txhash, height: res.height, gasUsed: res.gasUsed.toString() }, kind);
    } else {
      if (countTx) stats.failedTxs += 1;
      // A lost race (another relayer was first) or a stale view: the next round starts over from the chains.
      this.log.warn({ ...detail, code: res.code, log: res.log }, `${kind}: tx failed`);
    }
  }
}

/** Sequences for a log line: all of them when few, else the range and count. */
function seqList(packets: Packet[]): string {
  const seqs = packets.map((p) => p.sequence.toString());
  return seqs.length <= 10 ? seqs.join(',') : `${seqs[0]}..${seqs.at(-1)} (${seqs.length})`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
