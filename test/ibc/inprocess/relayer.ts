/**
 * The test relayer between two in-process zones. Routine relaying (`relayPackets`, `relayAcks`,
 * `relayTimeouts`) is the relayer's own loop (app/relayer/relayer.ts) over two InProcessChainEnds
 * (chain-end.ts), so these tests run the code `parazone relay` runs. What stays here: creating and
 * pairing the clients, and step-wise builders (`recvMsgs`, `timeoutMsgs`, `updateMsg`, `prove`)
 * of Msgs the loop would never send (a receive past its timeout, a timeout before it, forged
 * proofs and headers), so a test can show that the chain refuses them. The H / H+1 rule: the
 * source makes one more block, the destination's client is updated to that header L, and the
 * state at L-1 is proven.
 */
import type { Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import { MsgRecvPacket, MsgTimeout } from 'cosmjs-types/ibc/core/channel/v2/tx';
import { MsgUpdateClient } from 'cosmjs-types/ibc/core/client/v1/tx';
import { MsgRegisterCounterparty } from 'cosmjs-types/ibc/core/client/v2/tx';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { revisionNumberOf } from '../../../modules/ibc/light-clients/07-tendermint/index.js';
import { IbcTypeUrls, packetCommitmentKey, packetReceiptKey } from '../../../modules/ibc/index.js';
import { MsgCreateClient, MsgCreateClientResponse } from '../../../generated/parazone/ibc/v1/tx.js';
import { clientParams as relayerClientParams } from '../../../app/relayer/setup.js';
import { InProcessChainEnd, clientStateOf, pendingPacketsOf, proveIbcKey, unreceivedOf } from './chain-end.js';
import { Relayer, type End as CoreEnd, type RoundStats } from '../../../app/relayer/relayer.js';
import { pino } from 'pino';
import { msgResponses, type Zone } from './zone.js';

type EncodedMsg = { typeUrl: string; value: Uint8Array };

const emptyStats = (): RoundStats => ({ received: 0, acknowledged: 0, timedOut: 0, txs: 0, failedTxs: 0 });

export function expectOk(r: ExecTxResult, what = 'tx'): ExecTxResult {
  if (r.code !== 0) throw new Error(`${what} failed (${r.codespace}:${r.code}): ${r.log}`);
  return r;
}

/** The client parameters the relayer (app/relayer) picks for a Parazone zone, with a 14-day trusting period. */
export function clientParams(chainId: string): Uint8Array {
  return relayerClientParams(chainId, 14 * 24 * 3600);
}

export function createClientMsg(host: Zone, of: Zone, signer: string): EncodedMsg {
  const msg = MsgCreateClient.fromPartial({
    clientParams: Buffer.from(clientParams(of.chainId)),
    signedHeader: Buffer.from(SignedHeader.encode(of.signedHeader()).finish()),
    validatorSet: Buffer.from(ValidatorSet.encode(of.validatorSet).finish()),
    signer,
  });
  void host;
  return { typeUrl: IbcTypeUrls.createClient, value: MsgCreateClient.encode(msg).finish() };
}

/** One direction's view: `host` runs the client `clientId` of `counterparty`. */
export interface End {
  readonly zone: Zone;
  /** The client on this zone that tracks the other zone. */
  readonly clientId: string;
}

export class TestRelayer {
  /** The relayer's own loop (app/relayer/relayer.ts) over the two zones, for routine relaying. */
  private readonly core: Relayer;

  constructor(
    readonly a: End,
    readonly b: End,
  ) {
    this.core = new Relayer(
      new InProcessChainEnd(a.zone),
      new InProcessChainEnd(b.zone),
      { clientOnA: a.clientId, clientOnB: b.clientId },
      pino({ level: 'silent' }),
    );
  }

  /** Creates both clients and pairs them (the relayer is account 0 on each zone). */
  static connect(za: Zone, zb: Zone): TestRelayer {
    za.block();
    zb.block();
    const idOnA = MsgCreateClientResponse.decode(
      msgResponses(expectOk(za.deliver(za.accounts[0]!, [createClientMsg(za, zb, za.accounts[0]!.address)]), 'create client on A'))[0]!
        .value,
    ).clientId;
    const idOnB = MsgCreateClientResponse.decode(
      msgResponses(expectOk(zb.deliver(zb.accounts[0]!, [createClientMsg(zb, za, zb.accounts[0]!.address)]), 'create client on B'))[0]!
        .value,
    ).clientId;
    const prefix = [new TextEncoder().encode('ibc/')];
    const reg = (z: Zone, clientId: string, counterpartyClientId: string) =>
      expectOk(
        z.deliver(z.accounts[0]!, [
          {
            typeUrl: IbcTypeUrls.registerCounterparty,
            value: MsgRegisterCounterparty.encode({
              clientId,
              counterpartyMerklePrefix: prefix,
              counterpartyClientId,
              signer: z.accounts[0]!.address,
            }).finish(),
          },
        ]),
        'register counterparty',
      );
    reg(za, idOnA, idOnB);
    reg(zb, idOnB, idOnA);
    return new TestRelayer({ zone: za, clientId: idOnA }, { zone: zb, clientId: idOnB });
  }

  /** [source, destination] for a direction named by its source zone. */
  ends(from: Zone): [End, End] {
    return from === this.a.zone ? [this.a, this.b] : [this.b, this.a];
  }

  clientLatestHeight(host: End): Height {
    return clientStateOf(host.zone, host.clientId).latestHeight;
  }

  /** A MsgUpdateClient bringing `host`'s client of `of` to `of`'s header at `height` (default latest). */
  updateMsg(host: End, of: Zone, height = of.height, signedHeader = of.signedHeader(height)): EncodedMsg {
    const trusted = this.clientLatestHeight(host);
    const header = Header.fromPartial({
      signedHeader,
      validatorSet: of.validatorSet,
      trustedHeight: trusted,
      trustedValidators: of.validatorSet,
    });
    return {
      typeUrl: IbcTypeUrls.updateClient,
      value: MsgUpdateClient.encode({
        clientId: host.clientId,
        clientMessage: { typeUrl: Header.typeUrl, value: Header.encode(header).finish() },
        signer: host.zone.accounts[0]!.address,
      }).finish(),
    };
  }

  height(of: Zone, h: number): Height {
    return { revisionNumber: revisionNumberOf(of.chainId), revisionHeight: BigInt(h) };
  }

  /** A one-level MerkleProof of an ibc-store key at `height`, via the ABCI raw store query. */
  static prove(zone: Zone, key: Uint8Array, height: number): Uint8Array {
    return proveIbcKey(zone, key, height);
  }

  pending(src: End): Packet[] {
    return pendingPacketsOf(src.zone, src.clientId);
  }

  /**
   * Builds (without sending) the recv msgs for every pending, unreceived packet of `from`, after
   * one more block there — unlike the loop, also for packets at or past their timeout.
   */
  recvMsgs(from: Zone): { msgs: EncodedMsg[]; packets: Packet[]; proofHeight: Height } {
    const [src, dst] = this.ends(from);
    src.zone.block();
    const L = src.zone.height;
    const packets = this.pending(src);
    const unreceived = unreceivedOf(
      dst.zone,
      dst.clientId,
      packets.map((p) => p.sequence),
    );
    const todo = packets.filter((p) => unreceived.has(p.sequence));
    const proofHeight = this.height(src.zone, L);
    const signer = dst.zone.accounts[0]!.address;
    const msgs = [
      this.updateMsg(dst, src.zone, L),
      ...todo.map((packet) => ({
        typeUrl: IbcTypeUrls.recvPacket,
        value: MsgRecvPacket.encode({
          packet,
          proofCommitment: TestRelayer.prove(src.zone, packetCommitmentKey(src.clientId, packet.sequence), L - 1),
          proofHeight,
          signer,
        }).finish(),
      })),
    ];
    return { msgs, packets: todo, proofHeight };
  }

  /**
   * Relays every pending packet of `from` to the other zone through the relaying core (one more
   * block there first: the proof of the state after S-1 needs header S). Returns the one tx.
   */
  async relayPackets(from: Zone): Promise<ExecTxResult> {
    from.block();
    const [src, dst] = this.coreEnds(from);
    return this.deliveredBy(dst, () => this.core.relayReceives(src, dst, emptyStats()));
  }

  /** Relays back, through the relaying core, the acks written on the other zone for `from`'s packets. */
  async relayAcks(from: Zone): Promise<ExecTxResult> {
    return this.relayAcksAndTimeouts(from);
  }

  /** Times out, through the relaying core, `from`'s packets the other zone can no longer receive. */
  async relayTimeouts(from: Zone): Promise<ExecTxResult> {
    return this.relayAcksAndTimeouts(from);
  }

  private async relayAcksAndTimeouts(from: Zone): Promise<ExecTxResult> {
    const [src, dst] = this.coreEnds(from);
    // The acks (or receipts' absence) after block D-1 are proven with header D.
    this.chainOf(dst).zone.block();
    return this.deliveredBy(src, () => this.core.relayAcksAndTimeouts(src, dst, emptyStats()));
  }

  /** The relaying core's [source, destination] for a direction named by its source zone. */
  private coreEnds(from: Zone): [CoreEnd, CoreEnd] {
    return from === this.a.zone ? [this.core.a, this.core.b] : [this.core.b, this.core.a];
  }

  private chainOf(end: CoreEnd): InProcessChainEnd {
    return end.chain as InProcessChainEnd;
  }

  /** Runs one step of the core and returns the one tx it delivered on `on` (a test wants it). */
  private async deliveredBy(on: CoreEnd, step: () => Promise<unknown>): Promise<ExecTxResult> {
    const chain = this.chainOf(on);
    const before = chain.delivered.length;
    await step();
    const txs = chain.delivered.slice(before);
    if (txs.length !== 1) throw new Error(`the relaying core delivered ${txs.length} txs on ${chain.chainId}, expected 1`);
    return txs[0]!;
  }

  /**
   * Builds timeouts of `from`'s pending packets the other zone never received, proving the
   * receipt's absence — unlike the loop, also before their timeout.
   */
  timeoutMsgs(from: Zone): EncodedMsg[] {
    const [src, dst] = this.ends(from);
    dst.zone.block();
    const L = dst.zone.height;
    const proofHeight = this.height(dst.zone, L);
    const signer = src.zone.accounts[0]!.address;
    const todo = this.pending(src).filter((p) => !dst.zone.ibc.packets.hasReceipt(dst.zone.ctx(), dst.clientId, p.sequence));
    return [
      this.updateMsg(src, dst.zone, L),
      ...todo.map((packet) => ({
        typeUrl: IbcTypeUrls.timeout,
        value: MsgTimeout.encode({
          packet,
          proofUnreceived: TestRelayer.prove(dst.zone, packetReceiptKey(dst.clientId, packet.sequence), L - 1),
          proofHeight,
          signer,
        }).finish(),
      })),
    ];
  }
}
