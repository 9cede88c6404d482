/**
 * ICS-04 v2 packet handling, as ibc-go v10's modules/core/04-channel/v2/keeper (packet.go,
 * msg_server.go), with one deliberate difference: a second acknowledgement or timeout of a packet
 * FAILS (its commitment is gone) instead of succeeding as a no-op, so a replay is visible. A
 * second receive is a no-op success ("already received"), as in ibc-go.
 *
 * Packets carry exactly one payload (ibc-go v10 acknowledgements hold exactly one app ack).
 * Besides the commitment, the packet itself is kept while in flight (`packets/…`) and every
 * acknowledgement written here is kept in full (`acks/…`): a relayer needs no event index.
 */
import { Acknowledgement, Packet, type Payload } from 'cosmjs-types/ibc/core/channel/v2/packet';
import type { MsgAcknowledgement, MsgRecvPacket, MsgTimeout } from 'cosmjs-types/ibc/core/channel/v2/tx';
import { prefixEnd } from '../../app/store/bytes.js';
import type { Context } from '../../app/types/context.js';
import { ChainError, ErrOutOfGas } from '../../app/types/errors.js';
import { heightString } from './height.js';
import type { ClientKeeper } from './client-keeper.js';
import { UNIVERSAL_ERROR_ACK, bytesEqual, commitAcknowledgement, commitPacket } from './commitment.js';
import {
  ErrAckExists,
  ErrClientNotActive,
  ErrInvalidAcknowledgement,
  ErrInvalidCounterparty,
  ErrInvalidPacket,
  ErrInvalidTimeout,
  ErrPacketCommitmentMismatch,
  ErrPacketCommitmentNotFound,
  ErrTimeoutElapsed,
  ErrTimeoutNotReached,
  ErrUnknownPort,
} from './errors.js';
import {
  ackKey,
  be64,
  isClientId,
  nextSequenceSendKey,
  packetAckKey,
  packetCommitmentKey,
  packetReceiptKey,
  pendingPacketKey,
  pendingPacketsPrefix,
  readBe64,
  RECEIPT_VALUE,
} from './keys.js';

/** ibc-go v2's MaxTimeoutDelta: a packet may time out at most 24 h after it is sent. */
export const MAX_TIMEOUT_DELTA_SECONDS = 24n * 3600n;

/** An application bound to a port (ibc-go's api.IBCModule for v2). */
export interface IbcApp {
  readonly port: string;
  /**
   * Runs on a branch of the tx. Returns the app acknowledgement (non-empty, not the universal
   * error ack). Throwing a ChainError discards the branch and acknowledges with the universal
   * error ack, so the sender is refunded; out-of-gas and non-ChainErrors fail the whole tx (the
   * relayer's gas limit must never decide the outcome).
   */
  onRecvPacket(ctx: Context, packet: Packet, payload: Payload): Uint8Array;
  /** `ack` is the app acknowledgement, or UNIVERSAL_ERROR_ACK if the destination app failed. */
  onAcknowledgementPacket(ctx: Context, packet: Packet, payload: Payload, ack: Uint8Array): void;
  onTimeoutPacket(ctx: Context, packet: Packet, payload: Payload): void;
}

export type RelayResult = 'success' | 'noop';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const nowSeconds = (ctx: Context) => BigInt(Math.floor(ctx.time.getTime() / 1000));

/** ibc-go `Packet.ValidateBasic`, narrowed to one payload. */
export function validatePacket(packet: Packet | undefined): Packet {
  if (packet === undefined) throw ErrInvalidPacket.wrap('packet is missing');
  if (packet.payloads.length !== 1) throw ErrInvalidPacket.wrap(`packets carry exactly one payload, got ${packet.payloads.length}`);
  if (!isClientId(packet.sourceClient) || !isClientId(packet.destinationClient))
    throw ErrInvalidPacket.wrap('source and destination must be client ids');
  if (packet.sequence === 0n) throw ErrInvalidPacket.wrap('packet sequence cannot be 0');
  if (packet.timeoutTimestamp === 0n) throw ErrInvalidPacket.wrap('packet timeout timestamp cannot be 0');
  const p = packet.payloads[0]!;
  if (p.sourcePort === '' || p.destinationPort === '' || p.version === '' || p.encoding === '')
    throw ErrInvalidPacket.wrap('payload ports, version and encoding must be set');
  if (p.value.length === 0) throw ErrInvalidPacket.wrap('payload value cannot be empty');
  return packet;
}

export class PacketKeeper {
  private readonly apps = new Map<string, IbcApp>();

  constructor(private readonly clients: ClientKeeper) {}

  bindApp(app: IbcApp): void {
    if (this.apps.has(app.port)) throw new Error(`port ${app.port} is already bound`);
    this.apps.set(app.port, app);
  }

  private app(port: string): IbcApp {
    const app = this.apps.get(port);
    if (app === undefined) throw ErrUnknownPort.wrap(`no application on port "${port}"`);
    return app;
  }

  // ---------------------------------------------------------------- reads

  nextSequenceSend(ctx: Context, clientId: string): bigint {
    const raw = this.clients.store(ctx).get(nextSequenceSendKey(clientId));
    return raw === undefined ? 0n : readBe64(raw);
  }

  getCommitment(ctx: Context, clientId: string, seq: bigint): Uint8Array | undefined {
    return this.clients.store(ctx).get(packetCommitmentKey(clientId, seq));
  }

  hasReceipt(ctx: Context, clientId: string, seq: bigint): boolean {
    return this.clients.store(ctx).has(packetReceiptKey(clientId, seq));
  }

  getAckCommitment(ctx: Context, clientId: string, seq: bigint): Uint8Array | undefined {
    return this.clients.store(ctx).get(packetAckKey(clientId, seq));
  }

  getAcknowledgement(ctx: Context, clientId: string, seq: bigint): Acknowledgement | undefined {
    const raw = this.clients.store(ctx).get(ackKey(clientId, seq));
    return raw === undefined ? undefined : Acknowledgement.decode(raw);
  }

  /** Packets sent on `clientId` and neither acknowledged nor timed out, by sequence. */
  pendingPackets(ctx: Context, clientId: string): Packet[] {
    const prefix = pendingPacketsPrefix(clientId);
    const out: Packet[] = [];
    for (const { value } of this.clients.store(ctx).iterator(prefix, prefixEnd(prefix))) out.push(Packet.decode(value));
    return out;
  }

  // ---------------------------------------------------------------- send (called by apps)

  /**
   * Commits a packet for the counterparty to prove. Apps call this in the same tx as their escrow
   * or lock, after validating their own payload.
   */
  sendPacket(ctx: Context, sourceClient: string, timeoutTimestamp: bigint, payload: Payload): Packet {
    const counterparty = this.clients.mustCounterparty(ctx, sourceClient);
    const now = nowSeconds(ctx);
    if (timeoutTimestamp <= now) throw ErrTimeoutElapsed.wrap(`timeout ${timeoutTimestamp} is not after the block time ${now}`);
    if (timeoutTimestamp > now + MAX_TIMEOUT_DELTA_SECONDS)
      throw ErrInvalidTimeout.wrap(`timeout ${timeoutTimestamp} is more than 24h after the block time ${now}`);
    const status = this.clients.status(ctx, sourceClient);
    if (status !== 'Active') throw ErrClientNotActive.wrap(`client ${sourceClient} is ${status}`);
    const latest = this.clients.latestTimestampSeconds(ctx, sourceClient);
    if (latest >= timeoutTimestamp)
      throw ErrTimeoutElapsed.wrap(`the destination's latest known time ${latest} is already past the timeout ${timeoutTimestamp}`);
    const sequence = this.nextSequenceSend(ctx, sourceClient);
    const packet: Packet = { sequence, sourceClient, destinationClient: counterparty.clientId, timeoutTimestamp, payloads: [payload] };
    validatePacket(packet);
    const store = this.clients.store(ctx);
    store.set(nextSequenceSendKey(sourceClient), be64(sequence + 1n));
    store.set(packetCommitmentKey(sourceClient, sequence), commitPacket(packet));
    store.set(pendingPacketKey(sourceClient, sequence), Packet.encode(packet).finish());
    ctx.events.emit('send_packet', packetAttributes(packet));
    return packet;
  }

  // ---------------------------------------------------------------- relayed Msgs

  recvPacket(ctx: Context, msg: MsgRecvPacket): RelayResult {
    const packet = validatePacket(msg.packet);
    const counterparty = this.clients.mustCounterparty(ctx, packet.destinationClient);
    if (counterparty.clientId !== packet.sourceClient) {
      throw ErrInvalidCounterparty.wrap(
        `client ${packet.destinationClient} is paired with ${counterparty.clientId}, not the packet's source ${packet.sourceClient}`,
      );
    }
    const now = nowSeconds(ctx);
    if (now >= packet.timeoutTimestamp)
      throw ErrTimeoutElapsed.wrap(`block time ${now} has reached the timeout ${packet.timeoutTimestamp}`);
    if (this.hasReceipt(ctx, packet.destinationClient, packet.sequence)) {
      ctx.events.emit('recv_packet_noop', {
        packet_dest_client: packet.destinationClient,
        packet_sequence: packet.sequence.toString(),
        reason: 'already received',
      });
      return 'noop';
    }
    this.clients.verifyMembership(
      ctx,
      packet.destinationClient,
      msg.proofHeight,
      msg.proofCommitment,
      packetCommitmentKey(packet.sourceClient, packet.sequence),
      commitPacket(packet),
    );
    const store = this.clients.store(ctx);
    store.set(packetReceiptKey(packet.destinationClient, packet.sequence), RECEIPT_VALUE);
    ctx.events.emit('recv_packet', packetAttributes(packet));

    const appAck = this.runRecvCallback(ctx, packet);
    const ack: Acknowledgement = { appAcknowledgements: [appAck] };
    if (store.has(packetAckKey(packet.destinationClient, packet.sequence))) throw ErrAckExists.wrap(`sequence ${packet.sequence}`);
    store.set(packetAckKey(packet.destinationClient, packet.sequence), commitAcknowledgement(ack));
    const ackBytes = Acknowledgement.encode(ack).finish();
    store.set(ackKey(packet.destinationClient, packet.sequence), ackBytes);
    ctx.events.emit('write_acknowledgement', { ...packetAttributes(packet), encoded_acknowledgement_hex: hex(ackBytes) });
    return 'success';
  }

  /** The app's ack, or the universal error ack when the app refused (its writes discarded). */
  private runRecvCallback(ctx: Context, packet: Packet): Uint8Array {
    const payload = packet.payloads[0]!;
    const app = this.apps.get(payload.destinationPort);
    if (app === undefined) {
      ctx.events.emit('recv_packet_error', {
        packet_sequence: packet.sequence.toString(),
        error: `no application on port "${payload.destinationPort}"`,
      });
      return UNIVERSAL_ERROR_ACK;
    }
    const branch = ctx.branch();
    let appAck: Uint8Array;
    try {
      appAck = app.onRecvPacket(branch.ctx, packet, payload);
    } catch (err) {
      const outOfGas: boolean = ErrOutOfGas.is(err);
      if (!(err instanceof ChainError) || outOfGas) throw err;
      ctx.events.emit('recv_packet_error', {
        packet_dest_client: packet.destinationClient,
        packet_sequence: packet.sequence.toString(),
        error: err.message,
      });
      return UNIVERSAL_ERROR_ACK;
    }
    if (appAck.length === 0 || bytesEqual(appAck, UNIVERSAL_ERROR_ACK))
      throw ErrInvalidAcknowledgement.wrap('an application ack must be non-empty and not the universal error ack');
    branch.commit();
    return appAck;
  }

  acknowledgePacket(ctx: Context, msg: MsgAcknowledgement): RelayResult {
    const packet = validatePacket(msg.packet);
    this.checkSourceSide(ctx, packet);
    const ack = msg.acknowledgement;
    if (ack === undefined || ack.appAcknowledgements.length !== 1 || ack.appAcknowledgements[0]!.length === 0) {
      throw ErrInvalidAcknowledgement.wrap('an acknowledgement holds exactly one non-empty app acknowledgement');
    }
    this.mustMatchCommitment(ctx, packet, 'acknowledged');
    this.clients.verifyMembership(
      ctx,
      packet.sourceClient,
      msg.proofHeight,
      msg.proofAcked,
      packetAckKey(packet.destinationClient, packet.sequence),
      commitAcknowledgement(ack),
    );
    this.deleteCommitment(ctx, packet);
    ctx.events.emit('acknowledge_packet', packetAttributes(packet));
    const payload = packet.payloads[0]!;
    this.app(payload.sourcePort).onAcknowledgementPacket(ctx, packet, payload, ack.appAcknowledgements[0]!);
    return 'success';
  }

  timeoutPacket(ctx: Context, msg: MsgTimeout): RelayResult {
    const packet = validatePacket(msg.packet);
    this.checkSourceSide(ctx, packet);
    const proofTime = this.clients.timestampSecondsAt(ctx, packet.sourceClient, msg.proofHeight);
    if (proofTime < packet.timeoutTimestamp) {
      throw ErrTimeoutNotReached.wrap(
        `the destination's time at ${heightString(msg.proofHeight)} is ${proofTime}, before the timeout ${packet.timeoutTimestamp}`,
      );
    }
    this.mustMatchCommitment(ctx, packet, 'timed out');
    this.clients.verifyNonMembership(
      ctx,
      packet.sourceClient,
      msg.proofHeight,
      msg.proofUnreceived,
      packetReceiptKey(packet.destinationClient, packet.sequence),
    );
    this.deleteCommitment(ctx, packet);
    ctx.events.emit('timeout_packet', packetAttributes(packet));
    const payload = packet.payloads[0]!;
    this.app(payload.sourcePort).onTimeoutPacket(ctx, packet, payload);
    return 'success';
  }

  private checkSourceSide(ctx: Context, packet: Packet): void {
    const counterparty = this.clients.mustCounterparty(ctx, packet.sourceClient);
    if (counterparty.clientId !== packet.destinationClient) {
      throw ErrInvalidCounterparty.wrap(
        `client ${packet.sourceClient} is paired with ${counterparty.clientId}, not the packet's destination ${packet.destinationClient}`,
      );
    }
  }

  private mustMatchCommitment(ctx: Context, packet: Packet, verb: string): void {
    const stored = this.getCommitment(ctx, packet.sourceClient, packet.sequence);
    if (stored === undefined) {
      throw ErrPacketCommitmentNotFound.wrap(
        `packet ${packet.sourceClient}/${packet.sequence} has no commitment: it was never sent, or was already acknowledged or timed out, so it cannot be ${verb} again`,
      );
    }
    if (!bytesEqual(stored, commitPacket(packet)))
      throw ErrPacketCommitmentMismatch.wrap(`packet ${packet.sourceClient}/${packet.sequence} differs from the one sent`);
  }

  private deleteCommitment(ctx: Context, packet: Packet): void {
    const store = this.clients.store(ctx);
    store.delete(packetCommitmentKey(packet.sourceClient, packet.sequence));
    store.delete(pendingPacketKey(packet.sourceClient, packet.sequence));
  }
}

/** ibc-go v10 v2 event attributes (types/events.go), plus the payload ports for filtering. */
function packetAttributes(packet: Packet): Record<string, string> {
  const p = packet.payloads[0]!;
  return {
    packet_source_client: packet.sourceClient,
    packet_dest_client: packet.destinationClient,
    packet_sequence: packet.sequence.toString(),
    packet_timeout_timestamp: packet.timeoutTimestamp.toString(),
    packet_source_port: p.sourcePort,
    packet_dest_port: p.destinationPort,
    encoded_packet_hex: hex(Packet.encode(packet).finish()),
  };
}
