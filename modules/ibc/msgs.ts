/**
 * The ibc module's Msgs. Relayed Msgs (client updates, packets) are permissionless: any funded
 * account may submit them, and their proofs decide. Wire types are ibc-go's where one fits.
 */
import { MsgRegisterCounterparty, MsgRegisterCounterpartyResponse } from 'cosmjs-types/ibc/core/client/v2/tx';
import {
  MsgSubmitMisbehaviour,
  MsgSubmitMisbehaviourResponse,
  MsgUpdateClient,
  MsgUpdateClientResponse,
} from 'cosmjs-types/ibc/core/client/v1/tx';
import {
  MsgAcknowledgement,
  MsgAcknowledgementResponse,
  MsgRecvPacket,
  MsgRecvPacketResponse,
  MsgTimeout,
  MsgTimeoutResponse,
  ResponseResultType,
} from 'cosmjs-types/ibc/core/channel/v2/tx';
import type { AddressCodec } from '../../app/types/address.js';
import { validateCoins } from '../../app/types/coins.js';
import { ErrInvalidRequest } from '../../app/types/errors.js';
import { defineMsg, type MsgHandler } from '../../app/types/module.js';
import * as tx from '../../generated/parazone/ibc/v1/tx.js';
import type { IbcKeeper } from './keeper.js';
import { CREATE_CLIENT_TYPE, isClientId } from './keys.js';
import { validatePacket, type RelayResult } from './packet-keeper.js';
import { MAX_MEMO } from './apps/transfer.js';

export const TypeUrls = {
  createClient: '/parazone.ibc.v1.MsgCreateClient',
  updateClient: '/ibc.core.client.v1.MsgUpdateClient',
  submitMisbehaviour: '/ibc.core.client.v1.MsgSubmitMisbehaviour',
  registerCounterparty: '/ibc.core.client.v2.MsgRegisterCounterparty',
  recvPacket: '/ibc.core.channel.v2.MsgRecvPacket',
  acknowledgement: '/ibc.core.channel.v2.MsgAcknowledgement',
  timeout: '/ibc.core.channel.v2.MsgTimeout',
  transfer: '/parazone.ibc.v1.MsgTransfer',
  transferUnits: '/parazone.ibc.v1.MsgTransferUnits',
  setCustodyTrust: '/parazone.ibc.v1.MsgSetCustodyTrust',
} as const;

const result = (r: RelayResult) =>
  r === 'noop' ? ResponseResultType.RESPONSE_RESULT_TYPE_NOOP : ResponseResultType.RESPONSE_RESULT_TYPE_SUCCESS;

function clientId(id: string, field = 'client_id'): void {
  if (!isClientId(id)) throw ErrInvalidRequest.wrap(`${field} "${id}" is not a client id like 07-tendermint-0`);
}

export function ibcMsgs(keeper: IbcKeeper, addresses: AddressCodec): MsgHandler[] {
  const signer = <T extends { signer: string }>(m: T): void => void addresses.decode(m.signer, 'signer');
  const msgs: MsgHandler[] = [
    defineMsg({
      typeUrl: TypeUrls.createClient,
      aminoName: 'parazone/ibc/MsgCreateClient',
      type: tx.MsgCreateClient,
      responseType: tx.MsgCreateClientResponse,
      signers: (m) => [m.signer],
      validateBasic: signer,
      handle: (ctx, m) => ({ clientId: keeper.clients.createClient(ctx, CREATE_CLIENT_TYPE, m) }),
      serializes: true,
    }),
    defineMsg({
      typeUrl: TypeUrls.updateClient,
      type: MsgUpdateClient,
      responseType: MsgUpdateClientResponse,
      signers: (m) => [m.signer],
      validateBasic: (m) => {
        signer(m);
        clientId(m.clientId);
      },
      handle: (ctx, m) => {
        if (m.clientMessage === undefined) throw ErrInvalidRequest.wrap('client_message is required');
        keeper.clients.updateClient(ctx, m.clientId, m.clientMessage);
        return {};
      },
      // Every update of a client rewrites its client state.
      serializes: true,
    }),
    defineMsg({
      typeUrl: TypeUrls.submitMisbehaviour,
      type: MsgSubmitMisbehaviour,
      responseType: MsgSubmitMisbehaviourResponse,
      signers: (m) => [m.signer],
      validateBasic: (m) => {
        signer(m);
        clientId(m.clientId);
      },
      handle: (ctx, m) => {
        if (m.misbehaviour === undefined) throw ErrInvalidRequest.wrap('misbehaviour is required');
        keeper.clients.submitMisbehaviour(ctx, m.clientId, m.misbehaviour);
        return {};
      },
      serializes: true,
    }),
    defineMsg({
      typeUrl: TypeUrls.registerCounterparty,
      type: MsgRegisterCounterparty,
      responseType: MsgRegisterCounterpartyResponse,
      signers: (m) => [m.signer],
      validateBasic: (m) => {
        signer(m);
        clientId(m.clientId);
        clientId(m.counterpartyClientId, 'counterparty_client_id');
      },
      handle: (ctx, m) => {
        keeper.clients.registerCounterparty(ctx, m);
        return {};
      },
    }),
    defineMsg({
      typeUrl: TypeUrls.recvPacket,
      type: MsgRecvPacket,
      responseType: MsgRecvPacketResponse,
      signers: (m) => [m.signer],
      validateBasic: (m) => {
        signer(m);
        validatePacket(m.packet);
      },
      handle: (ctx, m) => ({ result: result(keeper.packets.recvPacket(ctx, m)) }),
    }),
    defineMsg({
      typeUrl: TypeUrls.acknowledgement,
      type: MsgAcknowledgement,
      responseType: MsgAcknowledgementResponse,
      signers: (m) => [m.signer],
      validateBasic: (m) => {
        signer(m);
        validatePacket(m.packet);
      },
      handle: (ctx, m) => ({ result: result(keeper.packets.acknowledgePacket(ctx, m)) }),
    }),
    defineMsg({
      typeUrl: TypeUrls.timeout,
      type: MsgTimeout,
      responseType: MsgTimeoutResponse,
      signers: (m) => [m.signer],
      validateBasic: (m) => {
        signer(m);
        validatePacket(m.packet);
      },
      handle: (ctx, m) => ({ result: result(keeper.packets.timeoutPacket(ctx, m)) }),
    }),
    defineMsg({
      typeUrl: TypeUrls.transfer,
      aminoName: 'parazone/ibc/MsgTransfer',
      type: tx.MsgTransfer,
      responseType: tx.MsgTransferResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        addresses.decode(m.sender, 'sender');
        if (m.receiver.trim() === '') throw ErrInvalidRequest.wrap('receiver is required');
        if (m.token === undefined) throw ErrInvalidRequest.wrap('token is required');
        validateCoins([m.token]);
        clientId(m.sourceClient, 'source_client');
        if (m.timeoutTimestamp === 0n) throw ErrInvalidRequest.wrap('timeout_timestamp (unix seconds) is required');
        if (m.memo.length > MAX_MEMO) throw ErrInvalidRequest.wrap(`memo is longer than ${MAX_MEMO} characters`);
        if (m.receiver.length > 2048) throw ErrInvalidRequest.wrap('receiver is longer than 2048 characters');
      },
      handle: (ctx, m) => keeper.transfer.transfer(ctx, m),
      // Every send on a client bumps its nextSequenceSend.
      serializes: true,
    }),
  ];
  const custody = keeper.custody;
  if (custody) {
    msgs.push(
      defineMsg({
        typeUrl: TypeUrls.transferUnits,
        aminoName: 'parazone/ibc/MsgTransferUnits',
        type: tx.MsgTransferUnits,
        responseType: tx.MsgTransferUnitsResponse,
        signers: (m) => [m.sender],
        validateBasic: (m) => {
          addresses.decode(m.sender, 'sender');
          if (m.receiver.trim() === '') throw ErrInvalidRequest.wrap('receiver is required');
          clientId(m.sourceClient, 'source_client');
          if (m.timeoutTimestamp === 0n) throw ErrInvalidRequest.wrap('timeout_timestamp (unix seconds) is required');
        },
        handle: (ctx, m) => custody.transferUnits(ctx, m),
        serializes: true,
      }),
      defineMsg({
        typeUrl: TypeUrls.setCustodyTrust,
        aminoName: 'parazone/ibc/MsgSetCustodyTrust',
        type: tx.MsgSetCustodyTrust,
        responseType: tx.MsgSetCustodyTrustResponse,
        signers: (m) => [m.authority],
        validateBasic: (m) => {
          addresses.decode(m.authority, 'authority');
          clientId(m.clientId);
        },
        handle: (ctx, m) => {
          custody.setTrust(ctx, m);
          return {};
        },
      }),
    );
  }
  return msgs;
}
