import { compareBytes, keyBytes, keyString } from './bytes.js';
import { seededRandom } from '../exec/prng.js';

describe('keyString', () => {
  const random = seededRandom(3);
  const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));

  it('is the latin1 form of the bytes, views into larger buffers included', () => {
    for (let i = 0; i < 200; i++) {
      const whole = randomBytes(64);
      const view = whole.subarray(i % 17, 17 + (i % 40));
      expect(keyString(view)).toBe(Buffer.from(view).toString('latin1'));
      expect(keyBytes(keyString(view))).toEqual(new Uint8Array(view));
    }
    expect(keyString(new Uint8Array())).toBe('');
  });

  it('orders as the bytes do', () => {
    for (let i = 0; i < 500; i++) {
      const a = randomBytes(1 + (i % 9));
      const b = randomBytes(1 + ((i * 7) % 9));
      const byBytes = Math.sign(compareBytes(a, b));
      const byString = keyString(a) < keyString(b) ? -1 : keyString(a) > keyString(b) ? 1 : 0;
      expect(byString).toBe(byBytes);
    }
  });
});
