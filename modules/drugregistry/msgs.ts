import type { AddressCodec } from '../../app/types/address.js';
import type { Context } from '../../app/types/context.js';
import { defineMsg, type MsgHandler, type ProtoType } from '../../app/types/module.js';
import * as tx from '../../generated/parazone/drugregistry/v1/tx.js';
import type { DrugRegistryKeeper } from './keeper.js';

const typeUrl = (name: string) => `/${tx.protobufPackage}.${name}`;

/** What a keeper method returns for a Msg: its response, any field omitted taking its default. */
type Response<R> = tx.DeepPartial<R>;

/**
 * One Msg signed by the address in `field` (`signer`, or `authority` for the governance-only Msgs):
 * that address is checked in validateBasic, and the keeper method's result becomes the response.
 */
function signedBy<F extends 'signer' | 'authority'>(field: F, addresses: AddressCodec) {
  return <M extends Record<F, string>, R>(
    name: string,
    type: ProtoType<M>,
    responseType: ProtoType<R>,
    handle: (ctx: Context, msg: M) => Response<R>,
    serializes?: boolean,
  ): MsgHandler<M, R> =>
    defineMsg<M, R>({
      typeUrl: typeUrl(name),
      // Shortened to `drug`: the SDK limits amino names to 39 characters.
      aminoName: `parazone/drug/${name}`,
      type,
      responseType,
      signers: (m) => [m[field]],
      validateBasic: (m) => void addresses.decode(m[field], field),
      handle: (ctx, m) => responseType.fromPartial(handle(ctx, m)),
      ...(serializes ? { serializes } : {}),
    });
}

/** The drugregistry Msgs, in the order of tx.proto's service. */
export function drugRegistryMsgs(k: DrugRegistryKeeper): MsgHandler[] {
  const msg = signedBy('signer', k.addresses);
  const govMsg = signedBy('authority', k.addresses);
  return [
    govMsg('MsgGrantRegulator', tx.MsgGrantRegulator, tx.MsgGrantRegulatorResponse, k.grantRegulator),
    govMsg('MsgRevokeRegulator', tx.MsgRevokeRegulator, tx.MsgRevokeRegulatorResponse, k.revokeRegulator),
    msg('MsgRegisterParticipant', tx.MsgRegisterParticipant, tx.MsgRegisterParticipantResponse, k.registerParticipant),
    msg('MsgSetParticipantStatus', tx.MsgSetParticipantStatus, tx.MsgSetParticipantStatusResponse, k.setParticipantStatus),
    msg('MsgRegisterProduct', tx.MsgRegisterProduct, tx.MsgRegisterProductResponse, k.registerProduct),
    msg('MsgCommissionBatch', tx.MsgCommissionBatch, tx.MsgCommissionBatchResponse, k.commissionBatch),
    msg('MsgCommissionUnits', tx.MsgCommissionUnits, tx.MsgCommissionUnitsResponse, k.commissionUnits),
    msg('MsgPack', tx.MsgPack, tx.MsgPackResponse, k.pack),
    msg('MsgUnpack', tx.MsgUnpack, tx.MsgUnpackResponse, k.unpack),
    msg('MsgShip', tx.MsgShip, tx.MsgShipResponse, k.ship),
    msg('MsgReceive', tx.MsgReceive, tx.MsgReceiveResponse, k.receive),
    msg('MsgRejectShipment', tx.MsgRejectShipment, tx.MsgRejectShipmentResponse, k.rejectShipment),
    msg('MsgCancelShipment', tx.MsgCancelShipment, tx.MsgCancelShipmentResponse, k.cancelShipment),
    msg('MsgDispense', tx.MsgDispense, tx.MsgDispenseResponse, k.dispense),
    msg('MsgDecommission', tx.MsgDecommission, tx.MsgDecommissionResponse, k.decommission),
    msg('MsgUndoDecommission', tx.MsgUndoDecommission, tx.MsgUndoDecommissionResponse, k.undoDecommission),
    // Serializes: allocates the next recall id from the module sequence `seq/recall` (ids start at
    // 1). Recalls are rare, so a shared counter costs nothing in practice.
    msg('MsgInitiateRecall', tx.MsgInitiateRecall, tx.MsgInitiateRecallResponse, k.initiateRecall, true),
    msg('MsgCompleteRecall', tx.MsgCompleteRecall, tx.MsgCompleteRecallResponse, k.completeRecall),
    // Serializes: allocates the next investigation id from `seq/investigation` (rare, like recalls).
    msg('MsgReportSuspect', tx.MsgReportSuspect, tx.MsgReportSuspectResponse, k.reportSuspect, true),
    msg('MsgResolveInvestigation', tx.MsgResolveInvestigation, tx.MsgResolveInvestigationResponse, k.resolveInvestigation),
    // Serializes: writes the params key that every other drugregistry Msg reads (governance only, rare).
    govMsg('MsgUpdateParams', tx.MsgUpdateParams, tx.MsgUpdateParamsResponse, k.updateParams, true),
  ];
}
