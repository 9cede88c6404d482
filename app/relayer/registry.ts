/** A cosmjs Registry of exactly the Msgs a relayer (and an ibc user) signs on a Parazone zone. */
import { Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgAcknowledgement, MsgRecvPacket, MsgTimeout } from 'cosmjs-types/ibc/core/channel/v2/tx';
import { MsgSubmitMisbehaviour, MsgUpdateClient } from 'cosmjs-types/ibc/core/client/v1/tx';
import { MsgRegisterCounterparty } from 'cosmjs-types/ibc/core/client/v2/tx';
import { MsgCreateClient, MsgSetCustodyTrust, MsgTransfer, MsgTransferUnits } from '../../generated/parazone/ibc/v1/tx.js';
import { IbcTypeUrls } from '../../modules/ibc/index.js';

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
  ];
  for (const [typeUrl, type] of types) registry.register(typeUrl, type as GeneratedType);
  return registry;
}
