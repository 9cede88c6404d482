import { makeSignBytes, makeSignDoc } from '@cosmjs/proto-signing';
import { makeSignDocBytes } from './sign-doc.js';

describe('makeSignDocBytes', () => {
  it('omits account number 0, exactly as cosmjs encodes it', () => {
    const bytes = makeSignDocBytes(Uint8Array.of(1), Uint8Array.of(2), 'c', 0n);
    expect(Buffer.from(bytes).toString('hex')).toBe('0a0101120102' + '1a0163');
  });

  it('matches cosmjs makeSignBytes for non-zero account numbers and raw bytes', () => {
    const body = Uint8Array.from([0x0a, 0x03, 1, 2, 3, 0xff]);
    const auth = Uint8Array.from([0x12, 0x00, 0x99]);
    for (const accountNumber of [1, 42, 2 ** 40 + 7]) {
      const expected = makeSignBytes(makeSignDoc(body, auth, 'para-1', accountNumber));
      expect(Buffer.from(makeSignDocBytes(body, auth, 'para-1', BigInt(accountNumber)))).toEqual(Buffer.from(expected));
    }
  });

  it('omits empty bytes and strings', () => {
    expect(makeSignDocBytes(new Uint8Array(), new Uint8Array(), '', 0n).length).toBe(0);
  });
});
