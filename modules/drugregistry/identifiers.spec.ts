import {
  ErrInvalidElementString,
  ErrInvalidExpiry,
  ErrInvalidGln,
  ErrInvalidGtin,
  ErrInvalidLot,
  ErrInvalidSerial,
  ErrInvalidSscc,
} from './errors.js';
import {
  expiryBoundaryMs,
  gs1CheckDigit,
  isExpired,
  normalizeGtin,
  parseExpiry,
  parseGs1,
  resolveYear,
  validateGln,
  validateLot,
  validateSerial,
  validateSscc,
} from './identifiers.js';

const throwsDef = (fn: () => unknown, def: { is(e: unknown): boolean }) => {
  try {
    fn();
  } catch (e) {
    expect(def.is(e)).toBe(true);
    return;
  }
  throw new Error('expected a throw');
};
const NOW = new Date('2026-01-01T00:00:00Z');

test('GTIN test vectors (GS1 check digits)', () => {
  expect(normalizeGtin('00312345678906')).toBe('00312345678906');
  expect(normalizeGtin('0312345678906')).toBe('00312345678906');
  expect(normalizeGtin('50312345678901')).toBe('50312345678901');
  expect(normalizeGtin('5901234123457')).toBe('05901234123457');
  expect(normalizeGtin('96385074')).toBe('00000096385074'); // GTIN-8
  expect(normalizeGtin('036000291452')).toBe('00036000291452'); // GTIN-12 (UPC-A)
  for (const bad of ['00312345678907', '0031234567890', '0312345678906X', '0312-345678906', '03123456789', '', '00000000000000']) {
    throwsDef(() => normalizeGtin(bad), ErrInvalidGtin);
  }
  expect(gs1CheckDigit('0031234567890')).toBe(6);
});

test('GLN and SSCC check digits', () => {
  expect(validateGln('0614141123452')).toBe('0614141123452');
  throwsDef(() => validateGln('0614141123453'), ErrInvalidGln);
  throwsDef(() => validateGln('061414112345'), ErrInvalidGln);
  expect(validateSscc('106141411234567897')).toBe('106141411234567897');
  throwsDef(() => validateSscc('106141411234567898'), ErrInvalidSscc);
  throwsDef(() => validateSscc('10614141123456789'), ErrInvalidSscc);
});

test('serials and lots: 1-20 chars of GS1 character set 82', () => {
  for (const ok of ['A', 'abc/123', `!"%&'()*+,-./:;<=>?_`, '12345678901234567890']) expect(validateSerial(ok)).toBe(ok);
  for (const bad of ['', '123456789012345678901', 'A B', 'A#1', 'A|1', 'Ä1', 'A$', 'A@', 'A~']) {
    throwsDef(() => validateSerial(bad), ErrInvalidSerial);
    throwsDef(() => validateLot(bad), ErrInvalidLot);
  }
});

test('expiry: YYMMDD with the day-00 rule, YYYY-MM-DD, calendar checks', () => {
  expect(parseExpiry('260200', NOW)).toBe('2026-02-28');
  expect(parseExpiry('280200', NOW)).toBe('2028-02-29');
  expect(parseExpiry('271231', NOW)).toBe('2027-12-31');
  expect(parseExpiry('2027-06-30', NOW)).toBe('2027-06-30');
  expect(parseExpiry('280229', NOW)).toBe('2028-02-29');
  for (const bad of ['261301', '260230', '2026-02-30', '2026-02-00', '26-02-01', '2602', 'tomorrow', '270229']) {
    throwsDef(() => parseExpiry(bad, NOW), ErrInvalidExpiry);
  }
});

test('two-digit years resolve within -49..+50 of block time', () => {
  expect(resolveYear(76, 2026)).toBe(2076);
  expect(resolveYear(77, 2026)).toBe(1977);
  expect(resolveYear(99, 2026)).toBe(1999);
  expect(resolveYear(0, 2099)).toBe(2100);
});

test('expired from 00:00Z of the day after the expiry date', () => {
  expect(expiryBoundaryMs('2026-02-28')).toBe(Date.parse('2026-03-01T00:00:00Z'));
  expect(isExpired('2026-02-28', new Date('2026-02-28T23:59:59.999Z'))).toBe(false);
  expect(isExpired('2026-02-28', new Date('2026-03-01T00:00:00Z'))).toBe(true);
});

test('GS1 element strings: human-readable and raw with FNC1', () => {
  expect(parseGs1('(01)00312345678906(21)ABC123(17)270630(10)LOT42')).toMatchObject({
    gtin: '00312345678906',
    serial: 'ABC123',
    expiry: '270630',
    lot: 'LOT42',
  });
  expect(parseGs1(']d20100312345678906' + '17270630' + '10LOT42\u001d' + '21ABC/1')).toMatchObject({
    gtin: '00312345678906',
    serial: 'ABC/1',
    expiry: '270630',
    lot: 'LOT42',
  });
  for (const bad of [
    '(01)00312345678906',
    '(21)X',
    '(01)00312345678906(21)A(21)B',
    '(99)1(01)00312345678906(21)A',
    '0100312345678906' + '9912',
  ]) {
    throwsDef(() => parseGs1(bad), ErrInvalidElementString);
  }
});

test('property: every body gets exactly one valid check digit (GTIN-14, SSCC)', async () => {
  const fc = (await import('fast-check')).default;
  fc.assert(
    fc.property(fc.stringMatching(/^[1-9]\d{12}$/), fc.integer({ min: 0, max: 9 }), (body, digit) => {
      const valid = digit === gs1CheckDigit(body);
      let ok = true;
      try {
        normalizeGtin(body + digit);
      } catch {
        ok = false;
      }
      return ok === valid;
    }),
  );
  fc.assert(fc.property(fc.stringMatching(/^\d{17}$/), (body) => validateSscc(body + gs1CheckDigit(body)) === body + gs1CheckDigit(body)));
  fc.assert(
    fc.property(fc.stringMatching(/^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/), (s) => validateSerial(s) === s && validateLot(s) === s),
  );
});
