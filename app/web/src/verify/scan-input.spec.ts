import { normalizeScan, readScan } from './scan-input.js';

const GS = '\u001d';

describe('readScan', () => {
  it('reads the raw DataMatrix form with the ]d2 prefix and GS separators', () => {
    const result = readScan(`]d2010031234567890621SN1${GS}10LOADGEN1${GS}17271231`);
    expect(result).toEqual({
      ok: true,
      elementString: `]d2010031234567890621SN1${GS}10LOADGEN1${GS}17271231`,
      parsed: expect.objectContaining({ gtin: '00312345678906', serial: 'SN1', lot: 'LOADGEN1', expiry: '271231' }),
    });
  });

  it('reads the bracketed human-readable form', () => {
    const result = readScan(' (01)00312345678906(21)SN2(10)LOADGEN1(17)271231 ');
    expect(result.ok && result.parsed).toEqual(
      expect.objectContaining({ gtin: '00312345678906', serial: 'SN2', lot: 'LOADGEN1', expiry: '271231' }),
    );
  });

  it('accepts the typed spellings of the GS separator', () => {
    for (const gs of ['<GS>', '{gs}', '\\x1d', '^]', '\u241d'])
      expect(normalizeScan(`0100312345678906 21A${gs}10B`.replace(' ', ''))).toBe(`010031234567890621A${GS}10B`);
  });

  it('explains a malformed code instead of throwing', () => {
    const cases = ['', 'hello', '(01)00312345678906', '(01)00312345678907(21)SN1', '(01)0031234567890(21)SN1', '(21)SN1'];
    for (const raw of cases) {
      const result = readScan(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.length).toBeGreaterThan(10);
    }
    const badCheck = readScan('(01)00312345678907(21)SN1');
    expect(!badCheck.ok && badCheck.error).toMatch(/check digit/);
    const noSerial = readScan('(01)00312345678906');
    expect(!noSerial.ok && noSerial.error).toMatch(/no serial/);
  });
});
