/**
 * A cosmjs Registry of exactly the Msgs a relayer (and an ibc user) signs on a Parazone zone or an
 * ibc-go v10 chain (which creates clients and sends packets with its own Msgs).
 */
import { Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgAcknowledgement, MsgRecvPacket, MsgSendPacket, MsgTimeout } from 'cosmjs-types/ibc/core/channel/v2/tx';
import { MsgCreateClient as IbcGoMsgCreateClient, MsgSubmitMisbehaviour, MsgUpdateClient } from 'cosmjs-types/ibc/core/client/v1/tx';
import { MsgRegisterCounterparty } from 'cosmjs-types/ibc/core/client/v2/tx';
import { MsgCreateClient, MsgSetCustodyTrust, MsgTransfer, MsgTransferUnits } from '../../generated/parazone/ibc/v1/tx.js';
import { IbcTypeUrls } from '../../modules/ibc/index.js';
import { IBCGO_CREATE_CLIENT, IBCGO_SEND_PACKET } from './ibcgo-chain.js';

export function ibcRegistry(): Registry {
  const registry = new Registry(defaultRegistryTypes);
  const types: [string, unknown][] = [
    [IbcTypeUrls.createClient, MsgCreateClient],
    [IbcTypeUrls.updateClient, MsgUpdateClient],
    [IbcTypeUrls.submitMisbehaviour, MsgSubmitMisbehaviour],
    [IbcTypeUrls.registerCounterparty, MsgRegisterCounterparty],
    [IbcTypeUrls.recvPacket, MsgRecvPacket],
    [IbcTypeUrls.acknowledgement, MsgAcknowledgement],
    [IbcTypeUrls.timeout, MsgTimeout],
    [IbcTypeUrls.transfer, MsgTransfer],
    [IbcTypeUrls.transferUnits, MsgTransferUnits],
    [IbcTypeUrls.setCustodyTrust, MsgSetCustodyTrust],
    [IBCGO_CREATE_CLIENT, IbcGoMsgCreateClient],
    [IBCGO_SEND_PACKET, MsgSendPacket],
  ];
  for (const [typeUrl, type] of types) registry.register(typeUrl, type as GeneratedType);
  return registry;
}
