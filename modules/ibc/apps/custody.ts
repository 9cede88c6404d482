/**
 * Cross-zone drug custody (port "drugcustody", version "parazone-drugcustody-1", protobuf
 * CustodyPacketData): serialized units leave a holder on this zone for a participant on another,
 * carrying their record, master data and full trace. At the source they stay LOCKED (by the ibc
 * module account) until the acknowledgement — then EXPORTED — or, on an error acknowledgement or
 * a timeout, ACTIVE again with the sender. The destination imports them (drugregistry
 * cross-zone.ts) or refuses the whole packet with the universal error ack.
 *
 * Units only travel over clients governance trusts (MsgSetCustodyTrust): a unit's identity and
 * history are recorded as facts, so a client of an unknown chain must not be able to mint them.
 *
 * Transfer ids name the packet by the local client: `ibc/<clientId>/<sequence>` (the source uses
 * its sourceClient, the destination its destinationClient).
 */
import type { Packet, Payload } from 'cosmjs-types/ibc/core/channel/v2/packet';
import type { AddressCodec } from '../../../app/types/address.js';
import type { Context } from '../../../app/types/context.js';
import { CustodyPacketData, type ExportedUnit } from '../../../generated/parazone/ibc/v1/custody.js';
import type { MsgTransferUnits } from '../../../generated/parazone/ibc/v1/tx.js';
import { UNIVERSAL_ERROR_ACK, bytesEqual } from '../commitment.js';
import { ErrInvalidAcknowledgement, ErrInvalidPacketData, ErrUntrustedClient } from '../errors.js';
import { custodyTrustKey } from '../keys.js';
import type { DrugCustodyKeeper, ExportedUnitData } from '../expected-keepers.js';
import type { ClientKeeper } from '../client-keeper.js';
import type { IbcApp, PacketKeeper } from '../packet-keeper.js';
import { ErrLogic, ErrUnauthorized } from '../../../app/types/errors.js';

export const CUSTODY_PORT = 'drugcustody';
export const CUSTODY_VERSION = 'parazone-drugcustody-1';
export const PROTOBUF_ENCODING = 'application/x-protobuf';
export const CUSTODY_SUCCESS_ACK = new TextEncoder().encode('{"result":"AQ=="}');

export const transferIdOf = (clientId: string, sequence: bigint) => `ibc/${clientId}/${sequence}`;

function toProto(d: ExportedUnitData): ExportedUnit {
  return { unit: d.unit, product: d.product, batch: d.batch, history: d.history };
}

function fromProto(u: ExportedUnit): ExportedUnitData {
  if (!u.unit || !u.product || !u.batch) throw ErrInvalidPacketData.wrap('every unit carries its unit, product and batch records');
  return { unit: u.unit, product: u.product, batch: u.batch, history: u.history };
}

export interface CustodyAppOptions {
  readonly drugs: DrugCustodyKeeper;
  readonly packets: PacketKeeper;
  readonly clients: ClientKeeper;
  readonly addresses: AddressCodec;
  /** The ibc module account: the locker and importer of record. */
  readonly moduleAddress: string;
  /** The governance module account: the only authority of MsgSetCustodyTrust. */
  readonly authority: string;
}

export class CustodyApp implements IbcApp {
  readonly port = CUSTODY_PORT;

  constructor(private readonly o: CustodyAppOptions) {}

  isTrusted(ctx: Context, clientId: string): boolean {
    return this.o.clients.store(ctx).has(custodyTrustKey(clientId));
  }

  /** MsgSetCustodyTrust (governance). */
  setTrust(ctx: Context, msg: { authority: string; clientId: string; trusted: boolean }): void {
    if (msg.authority !== this.o.authority) throw ErrUnauthorized.wrap(`authority must be the governance account ${this.o.authority}`);
    this.o.clients.mustExist(ctx, msg.clientId);
    if (msg.trusted) this.o.clients.store(ctx).set(custodyTrustKey(msg.clientId), Uint8Array.of(1));
    else this.o.clients.store(ctx).delete(custodyTrustKey(msg.clientId));
    ctx.events.emit('custody_trust', { client_id: msg.clientId, trusted: String(msg.trusted) });
  }

  private mustTrust(ctx: Context, clientId: string): void {
    if (!this.isTrusted(ctx, clientId)) throw ErrUntrustedClient.wrap(`governance has not approved drug custody over ${clientId}`);
  }

  transferUnits(ctx: Context, msg: MsgTransferUnits): { sequence: bigint; count: bigint } {
    this.o.clients.mustCounterparty(ctx, msg.sourceClient);
    this.mustTrust(ctx, msg.sourceClient);
    const chainId = this.o.clients.chainId(ctx, msg.sourceClient);
    const sequence = this.o.packets.nextSequenceSend(ctx, msg.sourceClient);
    const transferId = transferIdOf(msg.sourceClient, sequence);
    const batch = msg.batchGtin || msg.batchLot ? { gtin: msg.batchGtin, lot: msg.batchLot } : undefined;
    const exported = this.o.drugs.lockUnitsForExport(ctx, {
      sender: msg.sender,
      units: msg.units,
      batch,
      destination: `${chainId}/${msg.receiver}`,
      transferId,
      locker: this.o.moduleAddress,
    });
    const data: CustodyPacketData = { sender: msg.sender, receiver: msg.receiver, units: exported.map(toProto), memo: msg.memo };
    const packet = this.o.packets.sendPacket(ctx, msg.sourceClient, msg.timeoutTimestamp, {
      sourcePort: CUSTODY_PORT,
      destinationPort: CUSTODY_PORT,
      version: CUSTODY_VERSION,
      encoding: PROTOBUF_ENCODING,
      value: CustodyPacketData.encode(data).finish(),
    });
    if (packet.sequence !== sequence) throw ErrLogic.wrap(`packet got sequence ${packet.sequence}, the lock named ${sequence}`);
    ctx.events.emit('ibc_transfer_units', {
      sender: msg.sender,
      receiver: msg.receiver,
      transfer: transferId,
      count: String(exported.length),
    });
    return { sequence, count: BigInt(exported.length) };
  }

  onRecvPacket(ctx: Context, packet: Packet, payload: Payload): Uint8Array {
    this.mustTrust(ctx, packet.destinationClient);
    const data = decode(payload);
    const chainId = this.o.clients.chainId(ctx, packet.destinationClient);
    this.o.drugs.importUnits(ctx, {
      receiver: data.receiver,
      sender: data.sender,
      units: data.units.map(fromProto),
      transferId: transferIdOf(packet.destinationClient, packet.sequence),
      importer: this.o.moduleAddress,
      origin: `${chainId} ${transferIdOf(packet.sourceClient, packet.sequence)}`,
    });
    return CUSTODY_SUCCESS_ACK;
  }

  onAcknowledgementPacket(ctx: Context, packet: Packet, payload: Payload, ack: Uint8Array): void {
    const data = decode(payload);
    const units = data.units.map((u) => ({ gtin: u.unit!.gtin, serial: u.unit!.serial }));
    const transferId = transferIdOf(packet.sourceClient, packet.sequence);
    if (bytesEqual(ack, UNIVERSAL_ERROR_ACK)) {
      this.o.drugs.cancelExport(ctx, { units, transferId, locker: this.o.moduleAddress, reason: 'refused by the destination zone' });
      return;
    }
    if (!bytesEqual(ack, CUSTODY_SUCCESS_ACK))
      throw ErrInvalidAcknowledgement.wrap('a drugcustody acknowledgement is {"result":"AQ=="} or the universal error ack');
    this.o.drugs.completeExport(ctx, { units, transferId, locker: this.o.moduleAddress });
  }

  onTimeoutPacket(ctx: Context, packet: Packet, payload: Payload): void {
    const data = decode(payload);
    const units = data.units.map((u) => ({ gtin: u.unit!.gtin, serial: u.unit!.serial }));
    this.o.drugs.cancelExport(ctx, {
      units,
      transferId: transferIdOf(packet.sourceClient, packet.sequence),
      locker: this.o.moduleAddress,
      reason: 'timed out',
    });
  }
}

function decode(payload: Payload): CustodyPacketData {
  if (payload.sourcePort !== CUSTODY_PORT || payload.destinationPort !== CUSTODY_PORT)
    throw ErrInvalidPacketData.wrap('drugcustody payloads go between drugcustody ports');
  if (payload.version !== CUSTODY_VERSION) throw ErrInvalidPacketData.wrap(`unsupported drugcustody version "${payload.version}"`);
  if (payload.encoding !== PROTOBUF_ENCODING) throw ErrInvalidPacketData.wrap(`unsupported drugcustody encoding "${payload.encoding}"`);
  let data: CustodyPacketData;
  try {
    data = CustodyPacketData.decode(payload.value);
  } catch (err) {
    throw ErrInvalidPacketData.wrap(`drugcustody packet data does not decode: ${(err as Error).message}`);
  }
  for (const u of data.units) if (!u.unit) throw ErrInvalidPacketData.wrap('every unit carries its unit record');
  return data;
}
