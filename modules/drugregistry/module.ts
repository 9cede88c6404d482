/**
 * The drugregistry module: GS1-identified, serialized drug units with single custody, two-phase
 * shipments, aggregation, recalls derived at read time, suspect-product quarantine.
 */
import { governanceAuthority } from '../../app/types/authority.js';
import type { ChainConfig } from '../../app/types/chain-config.js';
import { defineMsg, defineQuery, type Module, type MsgHandler, type QueryHandler } from '../../app/types/module.js';
import * as tx from '../../generated/parazone/drugregistry/v1/tx.js';
import * as qt from '../../generated/parazone/drugregistry/v1/query.js';
import { GenesisState } from '../../generated/parazone/drugregistry/v1/genesis.js';
import { defaultGenesis, validateGenesis } from './genesis.js';
import { makeInvariants } from './invariants.js';
import { DrugRegistryKeeper } from './keeper.js';
import { MODULE_NAME, STORE_KEY } from './keys.js';
import * as q from './queries.js';

export interface DrugRegistryModuleOptions {
  config: ChainConfig;
  /** Defaults to the governance authority, `governanceAuthority(config)`. */
  authority?: string;
}

const TX = '/parazone.drugregistry.v1.';
const QP = '/parazone.drugregistry.v1.Query/';

export function createDrugRegistryModule({ config, authority }: DrugRegistryModuleOptions): {
  module: Module;
  keeper: DrugRegistryKeeper;
} {
  const storeKey = STORE_KEY;
  const gov = authority ?? governanceAuthority(config);
  const keeper = new DrugRegistryKeeper(storeKey, gov, config.addresses);
  const addr = config.addresses;

  /** A Msg signed by the address in its first field: `signer`, or `authority` for governance-only Msgs. */
  function signedBy<F extends 'signer' | 'authority'>(field: F) {
    return <M extends Record<F, string>, R>(
      name: string,
      type: tx.MessageFns<M> | any,
      responseType: any,
      handle: (ctx: any, m: M) => R,
      serializes?: boolean,
    ): MsgHandler<M, R> =>
      defineMsg<M, R>({
        typeUrl: TX + name,
        type,
        responseType,
        signers: (m) => [m[field]],
        validateBasic: (m) => void addr.decode(m[field], field),
        handle: (ctx, m) => responseType.fromPartial(handle(ctx, m)),
        ...(serializes ? { serializes } : {}),
      });
  }
  const msg = signedBy('signer');
  const govMsg = signedBy('authority');

  const k = keeper;
  const msgs: MsgHandler[] = [
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
    // 1, §3.11). Recalls are rare, so a shared counter costs nothing in practice.
    msg('MsgInitiateRecall', tx.MsgInitiateRecall, tx.MsgInitiateRecallResponse, k.initiateRecall, true),
    msg('MsgCompleteRecall', tx.MsgCompleteRecall, tx.MsgCompleteRecallResponse, k.completeRecall),
    // Serializes: allocates the next investigation id from `seq/investigation` (rare, like recalls).
    msg('MsgReportSuspect', tx.MsgReportSuspect, tx.MsgReportSuspectResponse, k.reportSuspect, true),
    msg('MsgResolveInvestigation', tx.MsgResolveInvestigation, tx.MsgResolveInvestigationResponse, k.resolveInvestigation),
    // Serializes: writes the params key that every other drugregistry Msg reads (governance only, rare).
    govMsg('MsgUpdateParams', tx.MsgUpdateParams, tx.MsgUpdateParamsResponse, k.updateParams, true),
  ];

  const st = (ctx: any) => keeper.state(ctx);
  function query<Q, R>(name: string, requestType: any, responseType: any, handle: (ctx: any, req: Q) => R): QueryHandler<Q, R> {
    return defineQuery<Q, R>({ path: QP + name, requestType, responseType, handle: (ctx, req) => responseType.fromPartial(handle(ctx, req)) });
  }
  const queries: QueryHandler[] = [
    query<qt.QueryVerifyRequest, unknown>('Verify', qt.QueryVerifyRequest, qt.QueryVerifyResponse, (c, r) => q.verify(st(c), r)),
    query<qt.QueryUnitRequest, unknown>('Unit', qt.QueryUnitRequest, qt.QueryUnitResponse, (c, r) => ({ unit: q.getUnit(st(c), r.gtin, r.serial) })),
    query<qt.QueryUnitHistoryRequest, unknown>('UnitHistory', qt.QueryUnitHistoryRequest, qt.QueryUnitHistoryResponse, (c, r) => q.unitHistory(st(c), r)),
    query<qt.QueryInventoryRequest, unknown>('Inventory', qt.QueryInventoryRequest, qt.QueryInventoryResponse, (c, r) => q.inventory(st(c), r)),
    query<qt.QueryRecalledInventoryRequest, unknown>('RecalledInventory', qt.QueryRecalledInventoryRequest, qt.QueryInventoryResponse,
      (c, r) => q.recalledInventory(st(c), r.holder, r.pagination)),
    query<qt.QueryRecallRequest, unknown>('Recall', qt.QueryRecallRequest, qt.QueryRecallResponse, (c, r) => ({ recall: q.getRecall(st(c), r.id) })),
    query<qt.QueryRecallsRequest, unknown>('Recalls', qt.QueryRecallsRequest, qt.QueryRecallsResponse, (c, r) => q.recalls(st(c), r)),
    query<qt.QueryContainerRequest, unknown>('Container', qt.QueryContainerRequest, qt.QueryContainerResponse,
      (c, r) => ({ container: q.getContainer(st(c), r.sscc) })),
    query<qt.QueryContainerContentsRequest, unknown>('ContainerContents', qt.QueryContainerContentsRequest, qt.QueryContainerContentsResponse,
      (c, r) => q.containerContents(st(c), r)),
    query<qt.QueryShipmentRequest, unknown>('Shipment', qt.QueryShipmentRequest, qt.QueryShipmentResponse,
      (c, r) => ({ shipment: q.getShipment(st(c), r.id) })),
    query<qt.QueryShipmentsRequest, unknown>('Shipments', qt.QueryShipmentsRequest, qt.QueryShipmentsResponse, (c, r) => q.shipments(st(c), r)),
    query<qt.QueryProductRequest, unknown>('Product', qt.QueryProductRequest, qt.QueryProductResponse, (c, r) => ({ product: q.getProduct(st(c), r.gtin) })),
    query<qt.QueryProductsRequest, unknown>('Products', qt.QueryProductsRequest, qt.QueryProductsResponse,
      (c, r) => q.products(st(c), r.manufacturer, r.pagination)),
    query<qt.QueryBatchRequest, unknown>('Batch', qt.QueryBatchRequest, qt.QueryBatchResponse, (c, r) => ({ batch: q.getBatch(st(c), r.gtin, r.lot) })),
    query<qt.QueryBatchesRequest, unknown>('Batches', qt.QueryBatchesRequest, qt.QueryBatchesResponse, (c, r) => q.batches(st(c), r.gtin, r.pagination)),
    query<qt.QueryParticipantRequest, unknown>('Participant', qt.QueryParticipantRequest, qt.QueryParticipantResponse,
      (c, r) => ({ participant: q.getParticipant(st(c), r.address) })),
    query<qt.QueryParticipantsRequest, unknown>('Participants', qt.QueryParticipantsRequest, qt.QueryParticipantsResponse,
      (c, r) => q.participants(st(c), r)),
    query<qt.QueryInvestigationRequest, unknown>('Investigation', qt.QueryInvestigationRequest, qt.QueryInvestigationResponse,
      (c, r) => ({ investigation: q.getInvestigation(st(c), r.id) })),
    query<qt.QueryInvestigationsRequest, unknown>('Investigations', qt.QueryInvestigationsRequest, qt.QueryInvestigationsResponse,
      (c, r) => q.investigations(st(c), r)),
    query<qt.QueryParamsRequest, unknown>('Params', qt.QueryParamsRequest, qt.QueryParamsResponse, (c) => ({ params: st(c).params() })),
  ];

  const module: Module = {
    name: MODULE_NAME,
    storeKey,
    msgs,
    queries,
    genesis: {
      defaultGenesis: () => GenesisState.toJSON(defaultGenesis()),
      validate: (json: unknown) => validateGenesis(json, storeKey, config.addresses),
      init: (ctx, g: GenesisState) => keeper.initGenesis(ctx, g),
      export: (ctx) => GenesisState.toJSON(keeper.exportGenesis(ctx)),
    },
    invariants: makeInvariants(storeKey),
  };
  return { module, keeper };
}
