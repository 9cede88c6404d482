/** Participants and roles: regulators by governance, trading partners by regulators. */
import { ErrUnauthorized } from '../../app/types/errors.js';
import type { AddressCodec } from '../../app/types/address.js';
import type {
  MsgGrantRegulator,
  MsgRegisterParticipant,
  MsgRevokeRegulator,
  MsgSetParticipantStatus,
  MsgUpdateParams,
} from '../../generated/parazone/drugregistry/v1/tx.js';
import type { Participant } from '../../generated/parazone/drugregistry/v1/types.js';
import { ErrInvalidField, ErrInvalidParams, ErrParticipantNotFound, ErrRoleExists, ErrRoleRequired } from './errors.js';
import { hash, hasRole, isActiveRegulator, oneOf, text } from './guards.js';
import { validateCompanyPrefix, validateGln } from './identifiers.js';
import { validateParams } from './params.js';
import type { RegistryState } from './state.js';
import { PARTICIPANT_STATUSES, ROLES, TRADING_ROLES, type Role } from './status.js';

export function requireAuthority(authority: string, given: string): void {
  if (given !== authority) {
    throw ErrUnauthorized.wrap(`expected governance authority ${authority}, got ${given}; submit this through a governance proposal`);
  }
}

/** Roles in canonical order so records are byte-identical however they were built. */
const sortRoles = (roles: string[]) => ROLES.filter((r) => roles.includes(r));
const sortedUnique = (xs: string[]) => [...new Set(xs)].sort();

export function grantRegulator(st: RegistryState, authority: string, codec: AddressCodec, msg: MsgGrantRegulator) {
  requireAuthority(authority, msg.authority);
  codec.decode(msg.address, 'address');
  text(st, 'name', msg.name, false);
  msg.jurisdictions.forEach((j) => text(st, 'jurisdiction', j, true));
  const existing = st.participant(msg.address);
  if (existing && hasRole(existing, 'REGULATOR')) throw ErrRoleExists.wrap(`${msg.address} is already a regulator`);
  const p: Participant = existing ?? {
    address: msg.address,
    roles: [],
    name: '',
    gln: '',
    companyPrefixes: [],
    jurisdictions: [],
    licenseRef: '',
    status: 'ACTIVE',
    registeredBy: msg.authority,
    registeredAt: st.nowIso,
  };
  if (!p.name) text(st, 'name', msg.name, true);
  if (msg.name) p.name = msg.name;
  p.roles = sortRoles([...p.roles, 'REGULATOR']);
  p.jurisdictions = sortedUnique([...p.jurisdictions, ...msg.jurisdictions]);
  st.setParticipant(p);
  st.ctx.events.emit('drugregistry_regulator_granted', { address: msg.address });
  return {};
}

export function revokeRegulator(st: RegistryState, authority: string, codec: AddressCodec, msg: MsgRevokeRegulator) {
  requireAuthority(authority, msg.authority);
  codec.decode(msg.address, 'address');
  const p = st.participant(msg.address);
  if (!p) throw ErrParticipantNotFound.wrap(`no participant ${msg.address}`);
  if (!hasRole(p, 'REGULATOR')) throw ErrRoleRequired.wrap(`${msg.address} is not a regulator`);
  p.roles = p.roles.filter((r) => r !== 'REGULATOR');
  st.setParticipant(p);
  st.ctx.events.emit('drugregistry_regulator_revoked', { address: msg.address });
  return {};
}

/** Governance or an ACTIVE regulator. */
function requireRegistrar(st: RegistryState, authority: string, signer: string): boolean {
  if (signer === authority) return true;
  if (!isActiveRegulator(st.participant(signer))) {
    throw ErrUnauthorized.wrap(`${signer} is neither an active regulator nor the governance authority`);
  }
  return false;
}

export function registerParticipant(st: RegistryState, authority: string, codec: AddressCodec, msg: MsgRegisterParticipant) {
  requireRegistrar(st, authority, msg.signer);
  codec.decode(msg.address, 'address');
  const role = oneOf<Role>('role', msg.role, TRADING_ROLES);
  text(st, 'name', msg.name, true);
  if (msg.gln) validateGln(msg.gln);
  msg.companyPrefixes.forEach(validateCompanyPrefix);
  if (msg.companyPrefixes.length > 0 && role !== 'MANUFACTURER') {
    throw ErrInvalidField.wrap('company prefixes are for manufacturers only');
  }
  msg.jurisdictions.forEach((j) => text(st, 'jurisdiction', j, true));
  hash('licenseRef', msg.licenseRef);
  const existing = st.participant(msg.address);
  if (existing && hasRole(existing, role)) throw ErrRoleExists.wrap(`${msg.address} already has role ${role}`);
  const p: Participant = existing ?? {
    address: msg.address,
    roles: [],
    name: msg.name,
    gln: '',
    companyPrefixes: [],
    jurisdictions: [],
    licenseRef: '',
    status: 'ACTIVE',
    registeredBy: msg.signer,
    registeredAt: st.nowIso,
  };
  p.roles = sortRoles([...p.roles, role]);
  if (msg.gln) p.gln = msg.gln;
  if (msg.licenseRef) p.licenseRef = msg.licenseRef;
  p.companyPrefixes = sortedUnique([...p.companyPrefixes, ...msg.companyPrefixes]);
  p.jurisdictions = sortedUnique([...p.jurisdictions, ...msg.jurisdictions]);
  st.setParticipant(p);
  st.ctx.events.emit('drugregistry_participant_registered', { address: msg.address, role, registered_by: msg.signer });
  return {};
}

export function setParticipantStatus(st: RegistryState, authority: string, codec: AddressCodec, msg: MsgSetParticipantStatus) {
  const byGov = requireRegistrar(st, authority, msg.signer);
  codec.decode(msg.address, 'address');
  const status = oneOf('status', msg.status, PARTICIPANT_STATUSES);
  hash('reasonHash', msg.reasonHash);
  const p = st.participant(msg.address);
  if (!p) throw ErrParticipantNotFound.wrap(`no participant ${msg.address}`);
  if (hasRole(p, 'REGULATOR') && !byGov) {
    throw ErrUnauthorized.wrap(`${msg.address} is a regulator; only governance can change its status`);
  }
  p.status = status;
  st.setParticipant(p);
  st.ctx.events.emit('drugregistry_participant_status_changed', { address: msg.address, status, by: msg.signer });
  return {};
}

export function updateParams(st: RegistryState, authority: string, msg: MsgUpdateParams) {
  requireAuthority(authority, msg.authority);
  const next = validateParams(msg.params);
  // Existing aggregations were built under the old depth limit; a lower one would strand them
  // (and break invariant I5), so the limit may only grow.
  if (next.maxAggregationDepth < st.params().maxAggregationDepth) {
    throw ErrInvalidParams.wrap(`maxAggregationDepth cannot decrease (${st.params().maxAggregationDepth} → ${next.maxAggregationDepth})`);
  }
  st.setParams(next);
  st.ctx.events.emit('drugregistry_params_updated', { authority: msg.authority });
  return {};
}
