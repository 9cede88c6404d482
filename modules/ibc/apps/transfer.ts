/**
 * ICS-20 fungible token transfer over IBC v2 (ibc-go v10 modules/apps/transfer, v2 module):
 * port "transfer", version "ics20-1", encoding application/json, FungibleTokenPacketData
 * `{amount, denom, memo?, receiver, sender}` with sorted keys and memo omitted when empty.
 *
 * Source or sink: a token whose full path starts with "transfer/<sourceClient>/" came from the
 * destination — it is burned here and released from escrow there; anything else is escrowed
 * here (per-client escrow account, ibc-go's GetEscrowAddress) and minted there as the voucher
 * ibc/HEX(sha256("transfer/<destClient>/<path>")). Refunds on an error ack or a timeout undo the
 * send exactly once: the core deletes the packet commitment before calling back.
 */
import type { Packet, Payload } from 'cosmjs-types/ibc/core/channel/v2/packet';
import type { AddressCodec } from '../../../app/types/address.js';
import type { Coin } from '../../../app/types/coins.js';
import { isValidDenom } from '../../../app/types/coins.js';
import type { Context } from '../../../app/types/context.js';
import { ErrInvalidAddress, ErrInvalidCoins, ErrUnauthorized } from '../../../app/types/errors.js';
import type { MsgTransfer } from '../../../generated/parazone/ibc/v1/tx.js';
import { UNIVERSAL_ERROR_ACK, bytesEqual, sha256 } from '../commitment.js';
import { ErrInvalidAcknowledgement, ErrInvalidDenom, ErrInvalidPacketData } from '../errors.js';
import type { BankKeeper } from '../expected-keepers.js';
import { denomTraceKey, totalEscrowKey } from '../keys.js';
import { prefixEnd } from '../../../app/store/bytes.js';
import type { IbcApp, PacketKeeper } from '../packet-keeper.js';
import type { ClientKeeper } from '../client-keeper.js';

export const TRANSFER_PORT = 'transfer';
export const ICS20_VERSION = 'ics20-1';
export const JSON_ENCODING = 'application/json';
/** `{"result":"AQ=="}`: ICS-04's success envelope around 0x01, what ibc-go's transfer acks with. */
export const ICS20_SUCCESS_ACK = new TextEncoder().encode('{"result":"AQ=="}');
const MAX_AMOUNT = 10n ** 77n;
/** ibc-go's MaximumMemoLength. */
export const MAX_MEMO = 32_768;

export interface FungibleTokenPacketData {
  denom: string;
  amount: string;
  sender: string;
  receiver: string;
  memo?: string;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** ibc-go's bytes: keys sorted, memo left out when empty. */
export function encodePacketData(d: FungibleTokenPacketData): Uint8Array {
  const sorted: Record<string, string> = { amount: d.amount, denom: d.denom };
  if (d.memo) sorted.memo = d.memo;
  sorted.receiver = d.receiver;
  sorted.sender = d.sender;
  return utf8(JSON.stringify(sorted));
}

/** Strict parse of the exact bytes sent (never re-serialised): ICS-20 ValidateBasic. */
export function decodePacketData(bytes: Uint8Array): FungibleTokenPacketData {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw ErrInvalidPacketData.wrap('ICS-20 packet data is not JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw ErrInvalidPacketData.wrap('ICS-20 packet data must be a JSON object');
  const o = raw as Record<string, unknown>;
  const str = (k: string, required: boolean): string => {
    const v = o[k];
    if (v === undefined && !required) return '';
    if (typeof v !== 'string') throw ErrInvalidPacketData.wrap(`ICS-20 field "${k}" must be a string`);
    return v;
  };
  const d: FungibleTokenPacketData = {
    denom: str('denom', true),
    amount: str('amount', true),
    sender: str('sender', true),
    receiver: str('receiver', true),
    memo: str('memo', false),
  };
  if (!/^[1-9][0-9]*$/.test(d.amount) || BigInt(d.amount) >= MAX_AMOUNT)
    throw ErrInvalidPacketData.wrap(`amount "${d.amount}" must be a positive integer below 10^77`);
  if (d.sender.trim() === '' || d.receiver.trim() === '') throw ErrInvalidPacketData.wrap('sender and receiver must not be blank');
  if (d.denom.trim() === '') throw ErrInvalidPacketData.wrap('denom must not be blank');
  if ((d.memo ?? '').length > MAX_MEMO) throw ErrInvalidPacketData.wrap('memo is too long');
  return d;
}

/** ibc/HEX(sha256(path)): the local voucher denom of a full denom path. */
export function ibcDenom(path: string): string {
  return `ibc/${Buffer.from(sha256(utf8(path)))
    .toString('hex')
    .toUpperCase()}`;
}

/** ibc-go GetEscrowAddress: sha256("ics20-1" ‖ 0x00 ‖ "transfer/<clientId>")[:20]. */
export function escrowAddressBytes(clientId: string): Uint8Array {
  return sha256(utf8(ICS20_VERSION), Uint8Array.of(0), utf8(`${TRANSFER_PORT}/${clientId}`)).subarray(0, 20);
}

export interface TransferAppOptions {
  readonly moduleName: string;
  readonly bank: BankKeeper;
  readonly addresses: AddressCodec;
  readonly packets: PacketKeeper;
  readonly clients: ClientKeeper;
}

export class TransferApp implements IbcApp {
  readonly port = TRANSFER_PORT;

  constructor(private readonly o: TransferAppOptions) {}

  escrowAddress(clientId: string): string {
    return this.o.addresses.encode(escrowAddressBytes(clientId));
  }

  /** The full path of a local denom: a voucher's stored trace, or the native denom itself. */
  fullPath(ctx: Context, denom: string): string {
    if (!denom.startsWith('ibc/')) return denom;
    const raw = this.o.clients.store(ctx).get(denomTraceKey(denom.slice(4)));
    if (raw === undefined) throw ErrInvalidDenom.wrap(`unknown voucher ${denom}`);
    return new TextDecoder().decode(raw);
  }

  /** The local denom of a full path: vouchers are ibc/HASH (their trace recorded), native denoms as they are. */
  private localDenom(ctx: Context, path: string, record: boolean): string {
    if (!path.includes('/')) return path;
    const denom = ibcDenom(path);
    if (record) this.o.clients.store(ctx).set(denomTraceKey(denom.slice(4)), utf8(path));
    return denom;
  }

  /** Every denom with a recorded escrow total, in key order. */
  escrowTotals(ctx: Context): { denom: string; amount: bigint }[] {
    const prefix = totalEscrowKey('');
    const out: { denom: string; amount: bigint }[] = [];
    for (const { key, value } of this.o.clients.store(ctx).iterator(prefix, prefixEnd(prefix))) {
      out.push({ denom: new TextDecoder().decode(key.subarray(prefix.length)), amount: BigInt(new TextDecoder().decode(value)) });
    }
    return out;
  }

  /**
   * Invariant: the escrow accounts of all clients together hold at least the recorded total of
   * every denom (more only if someone sent coins to an escrow address directly).
   */
  escrowShortfall(ctx: Context): string | undefined {
    const clients = this.o.clients.clientIds(ctx);
    for (const { denom, amount } of this.escrowTotals(ctx)) {
      const held = clients.reduce((sum, id) => sum + this.o.bank.getBalance(ctx, this.escrowAddress(id), denom), 0n);
      if (held < amount) return `escrow accounts hold ${held}${denom}, the recorded total is ${amount}`;
    }
    return undefined;
  }

  totalEscrow(ctx: Context, denom: string): bigint {
    const raw = this.o.clients.store(ctx).get(totalEscrowKey(denom));
    return raw === undefined ? 0n : BigInt(new TextDecoder().decode(raw));
  }

  private addEscrow(ctx: Context, denom: string, delta: bigint): void {
    const next = this.totalEscrow(ctx, denom) + delta;
    if (next < 0n) throw ErrInvalidCoins.wrap(`escrow of ${denom} would go negative`);
    if (next === 0n) this.o.clients.store(ctx).delete(totalEscrowKey(denom));
    else this.o.clients.store(ctx).set(totalEscrowKey(denom), utf8(next.toString()));
  }

  // ---------------------------------------------------------------- MsgTransfer

  transfer(ctx: Context, msg: MsgTransfer): { sequence: bigint } {
    const token = msg.token;
    if (token === undefined) throw ErrInvalidCoins.wrap('token is required');
    const amount = BigInt(token.amount);
    const coins: Coin[] = [{ denom: token.denom, amount: token.amount }];
    const path = this.fullPath(ctx, token.denom);
    const sinkPrefix = `${TRANSFER_PORT}/${msg.sourceClient}/`;
    if (path.startsWith(sinkPrefix)) {
      // Going home: the destination holds the originals in escrow; the vouchers end here.
      this.o.bank.sendCoinsFromAccountToModule(ctx, msg.sender, this.o.moduleName, coins);
      this.o.bank.burnCoins(ctx, this.o.moduleName, coins);
    } else {
      if (!token.denom.startsWith('ibc/') && token.denom.includes('/')) {
        throw ErrInvalidDenom.wrap(`base denom ${token.denom} contains "/", which IBC v2 transfers cannot carry`);
      }
      this.o.bank.sendCoins(ctx, msg.sender, this.escrowAddress(msg.sourceClient), coins);
      this.addEscrow(ctx, token.denom, amount);
    }
    const data = encodePacketData({ denom: path, amount: amount.toString(), sender: msg.sender, receiver: msg.receiver, memo: msg.memo });
    const packet = this.o.packets.sendPacket(ctx, msg.sourceClient, msg.timeoutTimestamp, {
      sourcePort: TRANSFER_PORT,
      destinationPort: TRANSFER_PORT,
      version: ICS20_VERSION,
      encoding: JSON_ENCODING,
      value: data,
    });
    ctx.events.emit('ibc_transfer', {
      sender: msg.sender,
      receiver: msg.receiver,
      denom: path,
      amount: token.amount,
      memo: msg.memo,
      sequence: packet.sequence.toString(),
    });
    return { sequence: packet.sequence };
  }

  // ---------------------------------------------------------------- IbcApp

  onRecvPacket(ctx: Context, packet: Packet, payload: Payload): Uint8Array {
    checkPayload(payload);
    const data = decodePacketData(payload.value);
    if (!this.o.addresses.isValid(data.receiver))
      throw ErrInvalidAddress.wrap(`receiver "${data.receiver}" is not an address of this zone`);
    if (this.o.bank.isBlockedAddress(data.receiver)) throw ErrUnauthorized.wrap(`${data.receiver} is not allowed to receive funds`);
    const amount = data.amount;
    const homePrefix = `${TRANSFER_PORT}/${packet.sourceClient}/`;
    if (data.denom.startsWith(homePrefix)) {
      // Returning home: release from the escrow of the client the packet arrived on.
      const unprefixed = data.denom.slice(homePrefix.length);
      const denom = this.localDenom(ctx, unprefixed, false);
      if (!isValidDenom(denom)) throw ErrInvalidDenom.wrap(`denom ${denom} is not valid here`);
      this.o.bank.sendCoins(ctx, this.escrowAddress(packet.destinationClient), data.receiver, [{ denom, amount }]);
      this.addEscrow(ctx, denom, -BigInt(amount));
    } else {
      const path = `${TRANSFER_PORT}/${packet.destinationClient}/${data.denom}`;
      const voucher = this.localDenom(ctx, path, true);
      const coins = [{ denom: voucher, amount }];
      this.o.bank.mintCoins(ctx, this.o.moduleName, coins);
      this.o.bank.sendCoinsFromModuleToAccount(ctx, this.o.moduleName, data.receiver, coins);
    }
    ctx.events.emit('fungible_token_packet', { sender: data.sender, receiver: data.receiver, denom: data.denom, amount, success: 'true' });
    return ICS20_SUCCESS_ACK;
  }

  onAcknowledgementPacket(ctx: Context, packet: Packet, payload: Payload, ack: Uint8Array): void {
    const data = decodePacketData(payload.value);
    if (bytesEqual(ack, UNIVERSAL_ERROR_ACK)) {
      this.refund(ctx, packet, data);
      ctx.events.emit('fungible_token_packet_ack', {
        sender: data.sender,
        denom: data.denom,
        amount: data.amount,
        success: 'false',
        refunded: 'true',
      });
      return;
    }
    // IBC v2 carries no custom error acks: anything but the result envelope is malformed.
    if (!bytesEqual(ack, ICS20_SUCCESS_ACK))
      throw ErrInvalidAcknowledgement.wrap('an ICS-20 acknowledgement over IBC v2 is {"result":"AQ=="} or the universal error ack');
    ctx.events.emit('fungible_token_packet_ack', { sender: data.sender, denom: data.denom, amount: data.amount, success: 'true' });
  }

  onTimeoutPacket(ctx: Context, packet: Packet, payload: Payload): void {
    const data = decodePacketData(payload.value);
    this.refund(ctx, packet, data);
    ctx.events.emit('fungible_token_packet_timeout', { sender: data.sender, denom: data.denom, amount: data.amount, refunded: 'true' });
  }

  /** Undo the send: re-mint burned vouchers, or release the escrow, to the sender. */
  private refund(ctx: Context, packet: Packet, data: FungibleTokenPacketData): void {
    const coins = [{ denom: this.localDenom(ctx, data.denom, false), amount: data.amount }];
    if (data.denom.startsWith(`${TRANSFER_PORT}/${packet.sourceClient}/`)) {
      this.o.bank.mintCoins(ctx, this.o.moduleName, coins);
      this.o.bank.sendCoinsFromModuleToAccount(ctx, this.o.moduleName, data.sender, coins);
    } else {
      this.o.bank.sendCoins(ctx, this.escrowAddress(packet.sourceClient), data.sender, coins);
      this.addEscrow(ctx, coins[0]!.denom, -BigInt(data.amount));
    }
  }
}

function checkPayload(payload: Payload): void {
  if (payload.sourcePort !== TRANSFER_PORT || payload.destinationPort !== TRANSFER_PORT)
    throw ErrInvalidPacketData.wrap('ICS-20 payloads go from port transfer to port transfer');
  if (payload.version !== ICS20_VERSION) throw ErrInvalidPacketData.wrap(`unsupported ICS-20 version "${payload.version}"`);
  if (payload.encoding !== JSON_ENCODING) throw ErrInvalidPacketData.wrap(`unsupported ICS-20 encoding "${payload.encoding}"`);
}
