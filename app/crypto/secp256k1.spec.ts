import secp256k1 from 'secp256k1';
import { Secp256k1, sha256 as cosmjsSha256 } from '@cosmjs/crypto';
import { isLowS, isValidSecp256k1PubKey, sha256, verifySecp256k1, verifySecp256k1Hash } from './secp256k1.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function toBytes32(n: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(n.toString(16).padStart(64, '0'), 'hex'));
}
function highS(sig: Uint8Array): Uint8Array {
  const s = BigInt('0x' + Buffer.from(sig.subarray(32)).toString('hex'));
  const out = Uint8Array.from(sig);
  out.set(toBytes32(N - s), 32);
  return out;
}

const privkey = new Uint8Array(32).fill(7);
const pubkey = secp256k1.publicKeyCreate(privkey, true);
const message = new TextEncoder().encode('sign doc bytes');
const { signature } = secp256k1.ecdsaSign(sha256(message), privkey);

describe('secp256k1 verification (SDK rules)', () => {
  it('hashes like @cosmjs/crypto', () => {
    expect(Buffer.from(sha256(message))).toEqual(Buffer.from(cosmjsSha256(message)));
  });

  it('accepts a valid low-S signature', () => {
    expect(isLowS(signature)).toBe(true);
    expect(verifySecp256k1(pubkey, message, signature)).toBe(true);
  });

  it('accepts a signature made by cosmjs (the wallet path)', async () => {
    const sig = await Secp256k1.createSignature(cosmjsSha256(message), privkey);
    const rs = new Uint8Array([...sig.r(32), ...sig.s(32)]);
    expect(verifySecp256k1(pubkey, message, rs)).toBe(true);
  });

  it('rejects the high-S twin of a valid signature', () => {
    const twin = highS(signature);
    expect(isLowS(twin)).toBe(false);
    expect(verifySecp256k1(pubkey, message, twin)).toBe(false);
    // libsecp256k1 itself would accept it after normalisation: our explicit check is what rejects it.
    expect(secp256k1.ecdsaVerify(secp256k1.signatureNormalize(Uint8Array.from(twin)), sha256(message), pubkey)).toBe(true);
  });

  it('rejects wrong message, wrong key, wrong lengths and garbage without throwing', () => {
    expect(verifySecp256k1(pubkey, new TextEncoder().encode('other'), signature)).toBe(false);
    const otherKey = secp256k1.publicKeyCreate(new Uint8Array(32).fill(8), true);
    expect(verifySecp256k1(otherKey, message, signature)).toBe(false);
    expect(verifySecp256k1(pubkey, message, signature.subarray(0, 63))).toBe(false);
    expect(verifySecp256k1(pubkey, message, new Uint8Array([...signature, 1]))).toBe(false);
    expect(verifySecp256k1(secp256k1.publicKeyConvert(pubkey, false), message, signature)).toBe(false);
    expect(verifySecp256k1(new Uint8Array(33).fill(2), message, signature)).toBe(false);
    const overflowR = Uint8Array.from(signature);
    overflowR.fill(0xff, 0, 32);
    expect(verifySecp256k1(pubkey, message, overflowR)).toBe(false);
    expect(verifySecp256k1(pubkey, message, new Uint8Array(64))).toBe(false);
    expect(verifySecp256k1Hash(pubkey, new Uint8Array(31), signature)).toBe(false);
  });

  it('checks compressed public keys', () => {
    expect(isValidSecp256k1PubKey(pubkey)).toBe(true);
    expect(isValidSecp256k1PubKey(secp256k1.publicKeyConvert(pubkey, false))).toBe(false);
    const offCurve = new Uint8Array(33).fill(0xff); // x ≥ p: no point
    offCurve[0] = 0x02;
    expect(isValidSecp256k1PubKey(offCurve)).toBe(false);
    expect(verifySecp256k1(offCurve, message, signature)).toBe(false);
  });
});
