/**
 * What a person pastes or a scanner types, made into a GS1 element string for the registry's own
 * parser: a keyboard cannot type the GS separator (ASCII 29), so scanners and people write it as
 * `<GS>`, `{GS}`, `\x1d`, `^]` or the ␝ symbol; and surrounding whitespace is dropped.
 */
import { normalizeGtin, parseGs1, validateSerial, type Gs1Parsed } from '../../../../modules/drugregistry/identifiers.js';

const GS = '\u001d';
const GS_SPELLINGS = /<GS>|\{GS\}|\\x1d|\\u001d|\^\]|\u241d/gi;

export function normalizeScan(raw: string): string {
  return raw.trim().replace(GS_SPELLINGS, GS);
}

export type ScanResult = { ok: true; parsed: Gs1Parsed; elementString: string } | { ok: false; error: string };

/** Parses a scan; a malformed one gives a message saying what is wrong, never an exception. */
export function readScan(raw: string): ScanResult {
  const elementString = normalizeScan(raw);
  if (elementString === '') return { ok: false, error: 'Enter or scan the code printed on the pack.' };
  try {
    const parsed = parseGs1(elementString);
    normalizeGtin(parsed.gtin);
    validateSerial(parsed.serial);
    return { ok: true, parsed, elementString };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `This is not a readable pack code: ${message.replace(/: invalid GS1 element string$/, '')}` };
  }
}
