import { isValidDenom } from '../../app/types/coins.js';
import { Params, type SendEnabled } from '../../generated/parazone/tokens/v1/tokens.js';
import { ErrInvalidParams } from './errors.js';

/** x/bank's defaults: sending is on for every denom unless a SendEnabled entry says otherwise. */
export function defaultParams(): Params {
  return Params.fromPartial({ sendEnabled: [], defaultSendEnabled: true });
}

/** Checks a SendEnabled list: valid denoms, each at most once. */
export function validateSendEnabledList(entries: readonly SendEnabled[], what = 'send_enabled'): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!isValidDenom(entry.denom)) throw ErrInvalidParams.wrap(`${what}: invalid denom "${entry.denom}"`);
    if (seen.has(entry.denom)) throw ErrInvalidParams.wrap(`${what}: duplicate denom "${entry.denom}"`);
    seen.add(entry.denom);
  }
}

/**
 * Validates params as `MsgUpdateParams` takes them. As in x/bank, the deprecated per-denom list in
 * Params must be empty: per-denom switches are set with MsgSetSendEnabled.
 */
export function validateParamsForUpdate(params: Params | undefined): Params {
  if (params === undefined) throw ErrInvalidParams.wrap('params must be set');
  if (typeof params.defaultSendEnabled !== 'boolean') throw ErrInvalidParams.wrap('default_send_enabled must be a boolean');
  if (params.sendEnabled.length > 0) {
    throw ErrInvalidParams.wrap('use of send_enabled in params is no longer supported; use MsgSetSendEnabled');
  }
  return params;
}
