import { createMultisigThresholdPubkey, encodeSecp256k1Pubkey, pubkeyToAddress } from '@cosmjs/amino';
import { decodePubkey, encodePubkey } from '@cosmjs/proto-signing';
import { toBech32 } from '@cosmjs/encoding';
import { LegacyAminoPubKey } from 'cosmjs-types/cosmos/crypto/multisig/keys';
import { createHash } from 'node:crypto';
import secp256k1 from 'secp256k1';
import {
  MAX_MULTISIG_NESTING,
  MULTISIG_PUBKEY_TYPE_URL,
  pubKeyAddressBytes,
  pubKeyFromAny,
  pubKeyToAny,
  type AccountPubKey,
  type MultisigPubKey,
} from './account-keys.js';
import { aminoPrefix, aminoPubKeyJson } from './amino-pubkey.js';
import { mlDsaKeyPair } from './mldsa.js';

const secpKey = (n: number) => secp256k1.publicKeyCreate(new Uint8Array(32).fill(n), true);
const address = (pubkey: AccountPubKey) => toBech32('para', pubKeyAddressBytes(pubkey));
const multisig = (threshold: number, keys: AccountPubKey[]): MultisigPubKey => ({ algo: 'multisig', threshold, keys });

describe('multisig addresses (sha256(amino(LegacyAminoPubKey))[:20])', () => {
  it("amino prefixes are go-amino's: the registered names give the bytes Tendermint's encodings start with", () => {
    expect(Buffer.from(aminoPrefix('tendermint/PubKeySecp256k1')).toString('hex')).toBe('eb5ae987');
    expect(Buffer.from(aminoPrefix('tendermint/PubKeyMultisigThreshold')).toString('hex')).toBe('22c1f7e2');
    expect(Buffer.from(aminoPrefix('tendermint/PubKeyEd25519')).toString('hex')).toBe('1624de64');
  });

  it.each([
    [1, 1],
    [2, 3],
    [3, 3],
    [5, 7],
  ])('%i-of-%i secp256k1: the address cosmjs pubkeyToAddress(createMultisigThresholdPubkey(...)) gives', (threshold, n) => {
    const keys = Array.from({ length: n }, (_, i) => secpKey(i + 1));
    // nosort: cosmjs keeps the given order, as the chain does (the order is part of the key).
    const cosmjs = createMultisigThresholdPubkey(keys.map(encodeSecp256k1Pubkey), threshold, true);
    const ours = multisig(
      threshold,
      keys.map((key) => ({ algo: 'secp256k1', key })),
    );
    expect(address(ours)).toBe(pubkeyToAddress(cosmjs, 'para'));
    // The Any is cosmjs's encodePubkey, both ways.
    const any = pubKeyToAny(ours);
    expect(Buffer.from(any.value)).toEqual(Buffer.from(encodePubkey(cosmjs).value));
    expect(decodePubkey(any)).toEqual(cosmjs);
    expect(pubKeyFromAny(any)).toEqual(ours);
    expect(aminoPubKeyJson(ours)).toEqual(cosmjs);
  });

  it('a nested multisig is a member as its own amino encoding, as cosmjs encodes it', () => {
    const inner = createMultisigThresholdPubkey([secpKey(1), secpKey(2)].map(encodeSecp256k1Pubkey), 1, true);
    const outer = {
      type: 'tendermint/PubKeyMultisigThreshold',
      value: { threshold: '2', pubkeys: [inner, encodeSecp256k1Pubkey(secpKey(3))] },
    } as const;
    const ours = multisig(2, [
      multisig(1, [
        { algo: 'secp256k1', key: secpKey(1) },
        { algo: 'secp256k1', key: secpKey(2) },
      ]),
      { algo: 'secp256k1', key: secpKey(3) },
    ]);
    expect(address(ours)).toBe(pubkeyToAddress(outer as never, 'para'));
  });

  it('an ML-DSA-65 member is amino "parazone/ML-DSA-65": prefix 526c25c4, uvarint length, key', () => {
    const pq = mlDsaKeyPair('ml-dsa-65', new Uint8Array(32).fill(4)).publicKey;
    const secp = secpKey(1);
    const member = (prefix: string, key: Uint8Array, length: number[]) =>
      Buffer.concat([Buffer.from(prefix, 'hex'), Buffer.from(length), key]);
    const secpMember = member('eb5ae987', secp, [33]);
    const pqMember = member('526c25c4', pq, [0xa0, 0x0f]); // 1952
    const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0x12]), Buffer.from(uvarint(bytes.length)), bytes]);
    const amino = Buffer.concat([Buffer.from('22c1f7e2' + '0802', 'hex'), field(secpMember), field(pqMember)]);
    const expected = toBech32('para', createHash('sha256').update(amino).digest().subarray(0, 20));
    const hybrid = multisig(2, [
      { algo: 'secp256k1', key: secp },
      { algo: 'ml-dsa-65', key: pq },
    ]);
    expect(address(hybrid)).toBe(expected);
    expect(Buffer.from(aminoPrefix('parazone/ML-DSA-65')).toString('hex')).toBe('526c25c4');
    expect(Buffer.from(aminoPrefix('parazone/ML-DSA-44')).toString('hex')).toBe('7a968e31');
    // The order of members is part of the key, hence of the address.
    expect(address(multisig(2, [...hybrid.keys].reverse()))).not.toBe(expected);
  });

  it('refuses a multisig with no members, threshold 0 or above its members, or nested too deep (8)', () => {
    const member = pubKeyToAny({ algo: 'secp256k1', key: secpKey(1) });
    const any = (threshold: number, publicKeys: ReturnType<typeof pubKeyToAny>[]) => ({
      typeUrl: MULTISIG_PUBKEY_TYPE_URL,
      value: LegacyAminoPubKey.encode({ threshold, publicKeys }).finish(),
    });
    expect(() => pubKeyFromAny(any(1, []))).toThrow(/multisig pubkey has no member keys: invalid pubkey/);
    expect(() => pubKeyFromAny(any(0, [member]))).toThrow(/multisig threshold 0 must be between 1 and its 1 member keys/);
    expect(() => pubKeyFromAny(any(2, [member]))).toThrow(/multisig threshold 2 must be between 1 and its 1 member keys/);
    let nested = member;
    for (let depth = 0; depth < MAX_MULTISIG_NESTING; depth++) nested = any(1, [nested]);
    expect(pubKeyFromAny(nested)?.algo).toBe('multisig');
    expect(() => pubKeyFromAny(any(1, [nested]))).toThrow(new RegExp(`multisig keys nest deeper than ${MAX_MULTISIG_NESTING}`));
  });
});

function uvarint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}
