/** Public surface of the ibc module. */
export { createIbcModule, type IbcModuleOptions } from './module.js';
export { MODULE_NAME as IBC_MODULE_NAME, STORE_KEY as IBC_STORE_KEY } from './keys.js';
export { IbcKeeper, type IbcKeeperOptions } from './keeper.js';
export { ClientKeeper } from './client-keeper.js';
export { PacketKeeper, MAX_TIMEOUT_DELTA_SECONDS, validatePacket, type IbcApp, type RelayResult } from './packet-keeper.js';
export {
  TransferApp,
  TRANSFER_PORT,
  ICS20_VERSION,
  ICS20_SUCCESS_ACK,
  ibcDenom,
  escrowAddressBytes,
  encodePacketData,
  decodePacketData,
  type FungibleTokenPacketData,
} from './apps/transfer.js';
export { CustodyApp, CUSTODY_PORT, CUSTODY_VERSION, transferIdOf } from './apps/custody.js';
export { commitPacket, commitAcknowledgement, hashPayload, UNIVERSAL_ERROR_ACK } from './commitment.js';
export * from './keys.js';
export * from './errors.js';
export { TypeUrls as IbcTypeUrls } from './msgs.js';
export type { BankKeeper, DrugCustodyKeeper, ExportedUnitData } from './expected-keepers.js';
