/**
 * DrugRegistryKeeper: the module's state-machine entry points. Msg handlers and queries call it;
 * other modules may call its read methods (verify, getUnit, getParticipant, hasRole).
 */
import type { StoreKey } from '../../app/store/types.js';
import type { AddressCodec } from '../../app/types/address.js';
import type { Context } from '../../app/types/context.js';
import type * as tx from '../../generated/parazone/drugregistry/v1/tx.js';
import type { QueryVerifyRequest, QueryVerifyResponse } from '../../generated/parazone/drugregistry/v1/query.js';
import type { Params, Participant, Unit } from '../../generated/parazone/drugregistry/v1/types.js';
import { exportGenesis, initGenesis } from './genesis.js';
import type { GenesisState } from '../../generated/parazone/drugregistry/v1/genesis.js';
import { checkAll } from './invariants.js';
import { commissionBatch, commissionUnits, registerProduct } from './msg-catalog.js';
import { cancelShipment, pack, receive, rejectShipment, ship, unpack } from './msg-custody.js';
import {
  completeRecall,
  decommission,
  dispense,
  initiateRecall,
  reportSuspect,
  resolveInvestigation,
  undoDecommission,
} from './msg-lifecycle.js';
import { grantRegulator, registerParticipant, revokeRegulator, setParticipantStatus, updateParams } from './msg-participants.js';
import * as q from './queries.js';
import * as crossZone from './cross-zone.js';
import type { UnitRef } from '../../generated/parazone/drugregistry/v1/types.js';
import { RegistryState } from './state.js';
import type { Role } from './status.js';

export class DrugRegistryKeeper {
  constructor(
    readonly storeKey: StoreKey,
    /** The governance module account: the only `authority` of privileged Msgs. */
    readonly authority: string,
    readonly addresses: AddressCodec,
  ) {}

  state(ctx: Context): RegistryState {
    return new RegistryState(ctx, this.storeKey);
  }

  // ---- Msgs ----------------------------------------------------------------------------------
  grantRegulator = (ctx: Context, m: tx.MsgGrantRegulator) => grantRegulator(this.state(ctx), this.authority, this.addresses, m);
  revokeRegulator = (ctx: Context, m: tx.MsgRevokeRegulator) => revokeRegulator(this.state(ctx), this.authority, this.addresses, m);
  registerParticipant = (ctx: Context, m: tx.MsgRegisterParticipant) =>
    registerParticipant(this.state(ctx), this.authority, this.addresses, m);
  setParticipantStatus = (ctx: Context, m: tx.MsgSetParticipantStatus) =>
    setParticipantStatus(this.state(ctx), this.authority, this.addresses, m);
  updateParams = (ctx: Context, m: tx.MsgUpdateParams) => updateParams(this.state(ctx), this.authority, m);
  registerProduct = (ctx: Context, m: tx.MsgRegisterProduct) => registerProduct(this.state(ctx), m);
  commissionBatch = (ctx: Context, m: tx.MsgCommissionBatch) => commissionBatch(this.state(ctx), m);
  commissionUnits = (ctx: Context, m: tx.MsgCommissionUnits) => commissionUnits(this.state(ctx), m);
  pack = (ctx: Context, m: tx.MsgPack) => pack(this.state(ctx), m);
  unpack = (ctx: Context, m: tx.MsgUnpack) => unpack(this.state(ctx), m);
  ship = (ctx: Context, m: tx.MsgShip) => ship(this.state(ctx), m);
  receive = (ctx: Context, m: tx.MsgReceive) => receive(this.state(ctx), m);
  rejectShipment = (ctx: Context, m: tx.MsgRejectShipment) => rejectShipment(this.state(ctx), m);
  cancelShipment = (ctx: Context, m: tx.MsgCancelShipment) => cancelShipment(this.state(ctx), m);
  dispense = (ctx: Context, m: tx.MsgDispense) => dispense(this.state(ctx), m);
  decommission = (ctx: Context, m: tx.MsgDecommission) => decommission(this.state(ctx), m);
  undoDecommission = (ctx: Context, m: tx.MsgUndoDecommission) => undoDecommission(this.state(ctx), m);
  initiateRecall = (ctx: Context, m: tx.MsgInitiateRecall) => initiateRecall(this.state(ctx), this.authority, m);
  completeRecall = (ctx: Context, m: tx.MsgCompleteRecall) => completeRecall(this.state(ctx), this.authority, m);
  reportSuspect = (ctx: Context, m: tx.MsgReportSuspect) => reportSuspect(this.state(ctx), m);
  resolveInvestigation = (ctx: Context, m: tx.MsgResolveInvestigation) => resolveInvestigation(this.state(ctx), m);

  // ---- reads other modules may use -----------------------------------------------------------
  verify(ctx: Context, req: Partial<QueryVerifyRequest>): QueryVerifyResponse {
    return q.verify(this.state(ctx), { gtin: '', serial: '', lot: '', expiry: '', elementString: '', ...req });
  }
  getUnit(ctx: Context, gtin: string, serial: string): Unit | undefined {
    try {
      return q.getUnit(this.state(ctx), gtin, serial);
    } catch {
      return undefined;
    }
  }
  getParticipant(ctx: Context, address: string): Participant | undefined {
    return this.state(ctx).participant(address);
  }
  hasRole(ctx: Context, address: string, role: Role): boolean {
    const p = this.state(ctx).participant(address);
    return !!p && p.status === 'ACTIVE' && p.roles.includes(role);
  }
  getParams(ctx: Context): Params {
    return this.state(ctx).params();
  }

  // ---- cross-zone custody (the ibc module's drugcustody application; see cross-zone.ts) -------
  lockUnitsForExport(
    ctx: Context,
    req: {
      sender: string;
      units: UnitRef[];
      batch?: { gtin: string; lot: string };
      destination: string;
      transferId: string;
      locker: string;
    },
  ): crossZone.ExportedUnitData[] {
    return crossZone.lockUnitsForExport(this.state(ctx), req);
  }
  completeExport(ctx: Context, req: { units: UnitRef[]; transferId: string; locker: string }): void {
    crossZone.completeExport(this.state(ctx), req);
  }
  cancelExport(ctx: Context, req: { units: UnitRef[]; transferId: string; locker: string; reason: string }): void {
    crossZone.cancelExport(this.state(ctx), req);
  }
  importUnits(
    ctx: Context,
    req: { receiver: string; sender: string; units: crossZone.ExportedUnitData[]; transferId: string; importer: string; origin: string },
  ): void {
    crossZone.importUnits(this.state(ctx), req);
  }

  // ---- genesis and invariants ----------------------------------------------------------------
  initGenesis(ctx: Context, g: GenesisState): void {
    initGenesis(this.state(ctx), g);
  }
  exportGenesis(ctx: Context): GenesisState {
    return exportGenesis(this.state(ctx));
  }
  /** Every broken invariant (I1–I9), one line each; empty when sound. */
  checkInvariants(ctx: Context): string[] {
    return checkAll(this.state(ctx));
  }
}
