import type { Params } from '../../generated/parazone/drugregistry/v1/types.js';
import { ErrInvalidParams } from './errors.js';

/** The module's default params. */
export function defaultParams(): Params {
  return {
    maxUnitsPerMsg: 1000,
    maxChildrenPerContainer: 1000,
    maxAggregationDepth: 3,
    undoWindowSeconds: 864000n,
    requireCompanyPrefix: true,
    allowManufacturerToDispenser: true,
    maxStringLength: 256,
  };
}

/** Throws ErrInvalidParams naming the first bad field. */
export function validateParams(p: Params | undefined): Params {
  if (!p) throw ErrInvalidParams.wrap('params are required');
  const positive = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 1 || v > max) throw ErrInvalidParams.wrap(`${name} must be an integer in 1..${max}, got ${v}`);
  };
  positive('maxUnitsPerMsg', p.maxUnitsPerMsg, 100_000);
  positive('maxChildrenPerContainer', p.maxChildrenPerContainer, 100_000);
  positive('maxAggregationDepth', p.maxAggregationDepth, 10);
  if (p.maxAggregationDepth < 2) throw ErrInvalidParams.wrap('maxAggregationDepth must be at least 2 (unit → case)');
  positive('maxStringLength', p.maxStringLength, 10_000);
  if (typeof p.undoWindowSeconds !== 'bigint' || p.undoWindowSeconds < 0n) {
    throw ErrInvalidParams.wrap('undoWindowSeconds must be a non-negative integer');
  }
  return p;
}
