/**
 * GS1 identifier validation: a pure library shared by the chain and clients.
 * Every function either returns the normalized value or throws the module error naming the field.
 */
import {
  ErrInvalidCompanyPrefix,
  ErrInvalidElementString,
  ErrInvalidExpiry,
  ErrInvalidGln,
  ErrInvalidGtin,
  ErrInvalidLot,
  ErrInvalidSerial,
  ErrInvalidSscc,
} from './errors.js';

/** Mod-10 check digit: weights 3,1,3,1,... from the rightmost data digit leftwards. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

function checkDigitOk(digits: string): boolean {
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** GTIN-8/12/13/14 → GTIN-14 (left-padded); rejects bad length, non-digits, all-zero body, bad check digit. */
export function normalizeGtin(raw: string): string {
  if (typeof raw !== 'string' || !/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(raw)) {
    throw ErrInvalidGtin.wrap(`GTIN "${raw}" must be 8, 12, 13 or 14 digits`);
  }
  const g = raw.padStart(14, '0');
  if (/^0{13}/.test(g)) throw ErrInvalidGtin.wrap(`GTIN "${raw}" has an all-zero body`);
  if (!checkDigitOk(g)) {
    throw ErrInvalidGtin.wrap(`GTIN "${raw}" has check digit ${g[13]}, expected ${gs1CheckDigit(g.slice(0, 13))}`);
  }
  return g;
}

export function validateGln(raw: string): string {
  if (!/^\d{13}$/.test(raw)) throw ErrInvalidGln.wrap(`GLN "${raw}" must be 13 digits`);
  if (!checkDigitOk(raw)) throw ErrInvalidGln.wrap(`GLN "${raw}" has a wrong check digit`);
  return raw;
}

export function validateSscc(raw: string): string {
  if (!/^\d{18}$/.test(raw)) throw ErrInvalidSscc.wrap(`SSCC "${raw}" must be 18 digits`);
  if (!checkDigitOk(raw)) {
    throw ErrInvalidSscc.wrap(`SSCC "${raw}" has check digit ${raw[17]}, expected ${gs1CheckDigit(raw.slice(0, 17))}`);
  }
  return raw;
}

/** GS1 AI encodable character set 82; `|` (our key separator), space, `#`, `$`, `@` are outside it. */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;

export function isCset82(value: string): boolean {
  return typeof value === 'string' && CSET82.test(value);
}

export function validateSerial(raw: string): string {
  if (!isCset82(raw)) {
    throw ErrInvalidSerial.wrap(`serial "${raw}" must be 1-20 characters of GS1 character set 82`);
  }
  return raw;
}

export function validateLot(raw: string): string {
  if (!isCset82(raw)) throw ErrInvalidLot.wrap(`lot "${raw}" must be 1-20 characters of GS1 character set 82`);
  return raw;
}

export function validateCompanyPrefix(raw: string): string {
  if (!/^\d{6,12}$/.test(raw)) throw ErrInvalidCompanyPrefix.wrap(`company prefix "${raw}" must be 6-12 digits`);
  return raw;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * GS1 two-digit year resolution (GenSpec §7.12): the year lies within −49…+50 years of the
 * current year, which comes from block time, never the wall clock.
 */
export function resolveYear(yy: number, currentYear: number): number {
  const century = Math.floor(currentYear / 100) * 100;
  let year = century + yy;
  const diff = yy - (currentYear % 100);
  if (diff >= 51) year -= 100;
  else if (diff <= -50) year += 100;
  return year;
}

/**
 * Parses an expiry date: `YYYY-MM-DD` or GS1 AI (17) `YYMMDD` where day `00` means the last day of
 * the month (legacy packs). Returns `YYYY-MM-DD`. `now` resolves the two-digit year.
 */
export function parseExpiry(raw: string, now: Date): string {
  let year: number;
  let month: number;
  let day: number;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw ?? '');
  if (m) {
    year = Number(m[1]);
    month = Number(m[2]);
    day = Number(m[3]);
    if (day === 0) throw ErrInvalidExpiry.wrap(`expiry "${raw}": day 00 is only allowed in the GS1 YYMMDD form`);
  } else if ((m = /^(\d{2})(\d{2})(\d{2})$/.exec(raw ?? ''))) {
    year = resolveYear(Number(m[1]), now.getUTCFullYear());
    month = Number(m[2]);
    day = Number(m[3]);
    if (month >= 1 && month <= 12 && day === 0) day = daysInMonth(year, month);
  } else {
    throw ErrInvalidExpiry.wrap(`expiry "${raw}" must be YYYY-MM-DD or GS1 YYMMDD`);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || year < 1) {
    throw ErrInvalidExpiry.wrap(`expiry "${raw}" is not a calendar date`);
  }
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Milliseconds at which a unit with this expiry (YYYY-MM-DD) becomes expired: 00:00Z of the next day. */
export function expiryBoundaryMs(expiry: string): number {
  const [y, mo, d] = expiry.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, mo - 1, d + 1);
}

export function isExpired(expiry: string, now: Date): boolean {
  return now.getTime() >= expiryBoundaryMs(expiry);
}

/** Application identifiers we can parse: fixed length, or variable with a maximum. */
interface AiRule {
  fixed?: number;
  max?: number;
  numeric: boolean;
}
const AI_TABLE: Record<string, AiRule> = {
  '00': { fixed: 18, numeric: true },
  '01': { fixed: 14, numeric: true },
  '02': { fixed: 14, numeric: true },
  '10': { max: 20, numeric: false },
  '11': { fixed: 6, numeric: true },
  '13': { fixed: 6, numeric: true },
  '15': { fixed: 6, numeric: true },
  '16': { fixed: 6, numeric: true },
  '17': { fixed: 6, numeric: true },
  '21': { max: 20, numeric: false },
  '240': { max: 30, numeric: false },
  '30': { max: 8, numeric: true },
  '710': { max: 20, numeric: false },
  '711': { max: 20, numeric: false },
  '712': { max: 20, numeric: false },
  '713': { max: 20, numeric: false },
  '714': { max: 20, numeric: false },
  '715': { max: 20, numeric: false },
};

export interface Gs1Parsed {
  gtin: string;
  serial: string;
  lot?: string;
  expiry?: string;
  /** Every AI found, raw values. */
  ais: Record<string, string>;
}

const GS = '\u001d';

function matchAi(text: string, at: number): string | undefined {
  for (const len of [2, 3]) {
    const ai = text.slice(at, at + len);
    if (AI_TABLE[ai]) return ai;
  }
  return undefined;
}

/**
 * Parses a GS1 element string: raw (AIs concatenated, ASCII 29 after variable fields, optional
 * `]d2` prefix) or human-readable `(01)…(21)…`. Requires AIs 01 and 21.
 */
export function parseGs1(scan: string): Gs1Parsed {
  const ais: Record<string, string> = {};
  const put = (ai: string, value: string) => {
    const rule = AI_TABLE[ai];
    if (!rule) throw ErrInvalidElementString.wrap(`AI (${ai}) is not supported`);
    if (ai in ais) throw ErrInvalidElementString.wrap(`AI (${ai}) appears twice`);
    if (rule.fixed !== undefined && value.length !== rule.fixed) {
      throw ErrInvalidElementString.wrap(`AI (${ai}) must be ${rule.fixed} characters, got ${value.length}`);
    }
    if (rule.max !== undefined && (value.length < 1 || value.length > rule.max)) {
      throw ErrInvalidElementString.wrap(`AI (${ai}) must be 1-${rule.max} characters, got ${value.length}`);
    }
    if (rule.numeric && !/^\d+$/.test(value)) throw ErrInvalidElementString.wrap(`AI (${ai}) must be digits`);
    ais[ai] = value;
  };
  let text = scan ?? '';
  if (text.startsWith(']d2')) text = text.slice(3);
  if (text.startsWith('(')) {
    const re = /\((\d{2,4})\)([^(]*)/gy;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = re.exec(text))) {
      put(m[1]!, m[2]!);
      consumed = re.lastIndex;
    }
    if (consumed !== text.length) throw ErrInvalidElementString.wrap(`cannot parse "${scan}"`);
  } else {
    let i = 0;
    while (i < text.length) {
      const ai = matchAi(text, i);
      if (!ai) throw ErrInvalidElementString.wrap(`unknown AI at position ${i} of "${scan}"`);
      const rule = AI_TABLE[ai]!;
      i += ai.length;
      let value: string;
      if (rule.fixed !== undefined) {
        value = text.slice(i, i + rule.fixed);
        i += rule.fixed;
        if (text[i] === GS) i++;
      } else {
        const end = text.indexOf(GS, i);
        value = end < 0 ? text.slice(i) : text.slice(i, end);
        i = end < 0 ? text.length : end + 1;
      }
      put(ai, value);
    }
  }
  if (!ais['01']) throw ErrInvalidElementString.wrap('element string has no GTIN (01)');
  if (!ais['21']) throw ErrInvalidElementString.wrap('element string has no serial (21)');
  return { gtin: ais['01'], serial: ais['21'], lot: ais['10'], expiry: ais['17'], ais };
}

/** sha-256 hex digest reference to an off-chain document; empty means absent. */
export function isHashOrEmpty(value: string): boolean {
  return value === '' || /^[0-9a-f]{64}$/.test(value);
}
