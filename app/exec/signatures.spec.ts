import { createHash, randomBytes } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { ParallelExecutor } from './parallel.js';
import { verifyOne, type SigItem } from './signatures.js';

const taskModule = { url: new URL('./synthetic.ts', import.meta.url).href, exportName: 'syntheticTask' };

function signed(i: number): SigItem {
  let priv: Uint8Array;
  do priv = randomBytes(32);
  while (!secp256k1.privateKeyVerify(priv));
  const msgHash = createHash('sha256').update(`sign doc ${i}`).digest();
  const { signature } = secp256k1.ecdsaSign(msgHash, priv);
  return { pubkey: secp256k1.publicKeyCreate(priv, i % 3 !== 0), msgHash: new Uint8Array(msgHash), sig: signature };
}

describe('batch signature verification on the executor workers', () => {
  const items = Array.from({ length: 97 }, (_, i) => signed(i));
  // Tamper with some: wrong hash, flipped signature byte, another key, malformed sizes.
  const bad = new Set([3, 10, 11, 50, 96]);
  items[3] = { ...items[3]!, msgHash: items[4]!.msgHash };
  items[10] = { ...items[10]!, sig: Uint8Array.from(items[10]!.sig, (b, j) => (j === 5 ? b ^ 1 : b)) };
  items[11] = { ...items[11]!, pubkey: items[12]!.pubkey };
  items[50] = { ...items[50]!, sig: items[50]!.sig.subarray(0, 63) };
  items[96] = { ...items[96]!, pubkey: new Uint8Array(33) };
  const want = items.map((_, i) => !bad.has(i));

  it('verifyOne agrees with the expectation', () => {
    expect(items.map((it) => verifyOne(it.pubkey, it.msgHash, it.sig))).toEqual(want);
  });

  it.each([1, 2, 4])('returns per-item results in input order with %i threads', async (workers) => {
    const pool = await ParallelExecutor.create({ workers, taskModule });
    try {
      expect(pool.verifySignatures(items)).toEqual(want);
      expect(pool.verifySignatures([])).toEqual([]);
      expect(pool.verifySignatures(items.slice(0, 1))).toEqual([true]);
    } finally {
      await pool.close();
    }
  });
});
