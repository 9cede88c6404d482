/**
 * A test relayer between two in-process zones. It keeps no state of its own beyond the path's
 * client ids: what to relay comes from queries (pending packets, unreceived sequences, written
 * acks), proofs from `/store/ibc/key` with prove=true. The H / H+1 rule: it makes the source
 * produce one more block, updates the destination's client to that header L, and proves the
 * state at L-1.
 */
import type { Acknowledgement, Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import { MsgAcknowledgement, MsgRecvPacket, MsgTimeout } from 'cosmjs-types/ibc/core/channel/v2/tx';
import { MsgUpdateClient } from 'cosmjs-types/ibc/core/client/v1/tx';
import { MsgRegisterCounterparty } from 'cosmjs-types/ibc/core/client/v2/tx';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { revisionNumberOf } from '../../../modules/ibc/light-clients/07-tendermint/index.js';
import { IbcTypeUrls, packetAckKey, packetCommitmentKey, packetReceiptKey } from '../../../modules/ibc/index.js';
import { MsgCreateClient, MsgCreateClientResponse } from '../../../generated/parazone/ibc/v1/tx.js';
import { clientParams as relayerClientParams } from '../../../app/relayer/setup.js';
import { clientStateOf, pendingPacketsOf, proveIbcKey, unreceivedOf, writtenAckOf } from './chain-end.js';
import { msgResponses, type Zone } from './zone.js';

type EncodedMsg = { typeUrl: string; value: Uint8Array };

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
  constructor(
    readonly a: End,
    readonly b: End,
  ) {}

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

  /** Builds (without sending) the recv msgs for every pending, unreceived packet of `from`, after one more block there. */
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

  /** Relays every pending packet of `from` to the other zone (update + recvs in one tx). */
  relayPackets(from: Zone): ExecTxResult {
    const [, dst] = this.ends(from);
    const { msgs } = this.recvMsgs(from);
    return dst.zone.deliver(dst.zone.accounts[0]!, msgs);
  }

  /** Relays back the acks written on the other zone for `from`'s pending packets. */
  relayAcks(from: Zone): ExecTxResult {
    const [src, dst] = this.ends(from);
    const acked = this.pending(src)
      .map((packet) => ({ packet, ack: writtenAckOf(dst.zone, dst.clientId, packet.sequence) }))
      .filter((x): x is { packet: Packet; ack: Acknowledgement } => x.ack !== undefined);
    dst.zone.block();
    const L = dst.zone.height;
    const proofHeight = this.height(dst.zone, L);
    const signer = src.zone.accounts[0]!.address;
    const msgs = [
      this.updateMsg(src, dst.zone, L),
      ...acked.map(({ packet, ack }) => ({
        typeUrl: IbcTypeUrls.acknowledgement,
        value: MsgAcknowledgement.encode({
          packet,
          acknowledgement: ack,
          proofAcked: TestRelayer.prove(dst.zone, packetAckKey(dst.clientId, packet.sequence), L - 1),
          proofHeight,
          signer,
        }).finish(),
      })),
    ];
    return src.zone.deliver(src.zone.accounts[0]!, msgs);
  }

  /** Times out `from`'s pending packets the other zone never received, proving the receipt's absence. */
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

  relayTimeouts(from: Zone): ExecTxResult {
    const [src] = this.ends(from);
    return src.zone.deliver(src.zone.accounts[0]!, this.timeoutMsgs(from));
  }
}
