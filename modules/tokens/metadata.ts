import { isValidDenom } from '../../app/types/coins.js';
import type { Metadata } from '../../generated/parazone/tokens/v1/tokens.js';
import { ErrInvalidMetadata } from './errors.js';

/**
 * x/bank's `Metadata.Validate` (x/bank/types/metadata.go): name and symbol non-blank; base and
 * display valid denoms; the first unit is the base with exponent 0; exponents strictly increase;
 * no duplicate units; display among the units; aliases unique and non-blank.
 */
export function validateMetadata(m: Metadata): void {
  const fail = (why: string) => ErrInvalidMetadata.wrap(why);
  if (m.name.trim() === '') throw fail('name field cannot be blank');
  if (m.symbol.trim() === '') throw fail('symbol field cannot be blank');
  if (!isValidDenom(m.base)) throw fail(`invalid metadata base denom "${m.base}"`);
  if (!isValidDenom(m.display)) throw fail(`invalid metadata display denom "${m.display}"`);
  let hasDisplay = false;
  let currentExponent = 0;
  const seenUnits = new Set<string>();
  m.denomUnits.forEach((unit, i) => {
    if (i === 0) {
      if (unit.denom !== m.base) throw fail(`metadata's first denomination unit must be the one with base denom '${m.base}'`);
      if (unit.exponent !== 0) throw fail(`the exponent for base denomination unit ${m.base} must be 0`);
    } else if (currentExponent >= unit.exponent) {
      throw fail('the denomination units must be sorted in ascending order');
    }
    currentExponent = unit.exponent;
    if (seenUnits.has(unit.denom)) throw fail(`duplicate denomination unit ${unit.denom}`);
    if (unit.denom === m.display) hasDisplay = true;
    if (!isValidDenom(unit.denom)) throw fail(`invalid denomination unit "${unit.denom}"`);
    const seenAliases = new Set<string>();
    for (const alias of unit.aliases) {
      if (seenAliases.has(alias)) throw fail(`duplicate denomination unit alias ${alias}`);
      if (alias.trim() === '') throw fail(`alias for denom unit ${unit.denom} cannot be blank`);
      seenAliases.add(alias);
    }
    seenUnits.add(unit.denom);
  });
  if (!hasDisplay) throw fail(`metadata must contain a denomination unit with display denom '${m.display}'`);
}
