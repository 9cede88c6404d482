/**
 * The ante with multisig signers (LegacyAminoPubKey + ModeInfo.Multi + MultiSignature): the
 * threshold, the bit array, each member's signature in its own mode and its own gas, the key
 * stored on first use, tx_sig_limit over the members, and hybrid secp256k1 + ML-DSA-65 accounts.
 * Every refusal has its code and leaves the store as it was.
 */
import { LegacyAminoPubKey } from 'cosmjs-types/cosmos/crypto/multisig/keys';
import { MultiSignature } from 'cosmjs-types/cosmos/crypto/multisig/v1beta1/multisig';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { decodeTx } from '../../../app/baseapp/tx-decoder.js';
import { AminoJsonCodec } from '../../../app/codec/amino-json.js';
import { coreSchemas } from '../../../app/codec/message-schemas.js';
import { MULTISIG_PUBKEY_TYPE_URL, pubKeyToAny } from '../../../app/crypto/account-keys.js';
import { MlDsaDirectSigner } from '../../../app/crypto/mldsa-signer.js';
import { LruSignatureCache } from '../../../app/crypto/signature-cache.js';
import { memoryStore } from '../../../app/store/cache-kv.js';
import { makeChainConfig } from '../../../app/types/chain-config.js';
import { ChainError } from '../../../app/types/errors.js';
import { dumpStore, runBranch, testContext } from '../../../test/harness.js';
import { createAuthModule } from '../module.js';
import {
  compactBitArray,
  mlDsaMember,
  multisigAddress,
  multisigKey,
  secp256k1Member,
  signMultisigTx,
  type MultisigMember,
  type MultisigTxOptions,
} from '../multisig-testing.js';
import type { Params } from '../params.js';
import { FakeFeeKeeper, lookupTestMsg, msgSend, msgSendHandler, testSigners } from '../testing.js';
import { createAnteHandler } from './ante.js';

const CHAIN = 'para-test';
const config = makeChainConfig('para', 'upara');
const modes = { direct: SignMode.SIGN_MODE_DIRECT, amino: SignMode.SIGN_MODE_LEGACY_AMINO_JSON };
let secp: MultisigMember[]; // alice, bob, carol
let pq: MultisigMember; // ML-DSA-65
let big: MultisigMember[]; // 8 secp256k1 members: above tx_sig_limit 7

beforeAll(async () => {
  const signers = await testSigners(8);
  secp = signers.slice(0, 3).map(secp256k1Member);
  big = signers.map(secp256k1Member);
  pq = mlDsaMember(MlDsaDirectSigner.fromSeed('ml-dsa-65', new Uint8Array(32).fill(9)));
});

/** Account numbers in genesis order. */
const TRIPLE = 0; // 2-of-3 secp256k1
const HYBRID = 1; // 2-of-2 secp256k1 + ML-DSA-65
const BIG = 2; // 2-of-8

function newChain(adjust: (params: Params) => Params = (p) => p) {
  const triple = multisigAddress(multisigKey(secp, 2));
  const hybrid = multisigAddress(multisigKey([secp[0]!, pq], 2));
  const wide = multisigAddress(multisigKey(big, 2));
  const store = memoryStore();
  const { module, keeper } = createAuthModule({ config, moduleAccounts: [{ name: 'fee_collector' }] });
  const genesisCtx = testContext({ store, mode: 'genesis', chainId: CHAIN });
  module.genesis!.init(genesisCtx, module.genesis!.validate({ accounts: [{ address: triple }, { address: hybrid }, { address: wide }] }));
  keeper.setParams(genesisCtx, adjust(keeper.getParams(genesisCtx)));
  const fees = new FakeFeeKeeper();
  for (const address of [triple, hybrid, wide]) fees.fund(genesisCtx, address, 1_000_000n);
  const aminoJson = new AminoJsonCodec(coreSchemas, [msgSendHandler]);
  const ante = createAnteHandler({
    accounts: keeper,
    fees,
    config,
    signatureCache: new LruSignatureCache(100),
    aminoJson: () => aminoJson,
  });
  const run = (bytes: Uint8Array, simulate = false) => {
    const ctx = testContext({
      store,
      chainId: CHAIN,
      height: 10,
      mode: simulate ? 'simulate' : 'deliver',
      gasLimit: simulate ? undefined : 400_000,
    });
    const tx = decodeTx(bytes, lookupTestMsg);
    const error = runBranch(ctx, (branch) => ante(branch, tx, simulate));
    if (error !== undefined && !(error instanceof ChainError)) throw error;
    return { error: error as ChainError | undefined, gasUsed: ctx.gas.consumed, events: ctx.events.events };
  };
  return { store, keeper, module, run, addresses: { triple, hybrid, wide } };
}

type Partial = Omit<MultisigTxOptions, 'msgs' | 'accountNumber' | 'chainId' | 'sequence'> & { sequence?: number };

async function tx(accountNumber: number, options: Partial): Promise<Uint8Array> {
  const from = multisigAddress(multisigKey(options.members, options.threshold));
  const { bytes } = await signMultisigTx({ sequence: 0, ...options, msgs: [msgSend(from, from)], accountNumber, chainId: CHAIN });
  return bytes;
}

const triple = (signers: MultisigTxOptions['signers'], more: Omit<Partial, 'members' | 'threshold' | 'signers'> = {}) =>
  tx(TRIPLE, { members: secp, threshold: 2, signers, ...more });
const hybrid = (signers: MultisigTxOptions['signers'], more: Omit<Partial, 'members' | 'threshold' | 'signers'> = {}) =>
  tx(HYBRID, { members: [secp[0]!, pq], threshold: 2, signers, ...more });

/** Runs a tx that must be refused: its code and message, and a store left as it was. */
function refused(chain: ReturnType<typeof newChain>, bytes: Uint8Array) {
  const before = dumpStore(chain.store);
  const { error } = chain.run(bytes);
  expect(dumpStore(chain.store)).toEqual(before);
  return { codespace: error?.codespace, code: error?.code, message: error?.message };
}

describe('ante with a 2-of-3 secp256k1 multisig', () => {
  it('two amino JSON signatures (as cosmjs makeMultisignedTx makes them) pass; the key is stored and the sequence bumped', async () => {
    const chain = newChain();
    const bytes = await triple([{ index: 0 }, { index: 2 }]);
    const { error, events } = chain.run(bytes);
    expect(error).toBeUndefined();
    // As the SDK: acc_seq, each member signature, then the MultiSignature.
    const signatures = events
      .filter((e) => e.type === 'tx')
      .flatMap((e) => e.attributes.filter((a) => a.key === 'signature').map((a) => a.value));
    const multi = TxRaw.decode(bytes).signatures[0]!;
    expect(signatures).toEqual([...memberSignatures(bytes), multi].map((b) => Buffer.from(b).toString('base64')));
    const ctx = testContext({ store: chain.store });
    expect(chain.keeper.getPubKey(ctx, chain.addresses.triple)).toEqual(multisigKey(secp, 2));
    expect(chain.keeper.getSequence(ctx, chain.addresses.triple)).toBe(1n);
    // Next time the key comes from the account.
    expect(chain.run(await triple([{ index: 1 }, { index: 2 }], { sequence: 1, omitPubKey: true })).error).toBeUndefined();
    expect(chain.keeper.getSequence(ctx, chain.addresses.triple)).toBe(2n);
  });

  it("members may sign in SIGN_MODE_DIRECT too, each signature checked over its own mode's bytes", async () => {
    expect(
      newChain().run(
        await triple([
          { index: 0, mode: modes.direct },
          { index: 1, mode: modes.direct },
        ]),
      ).error,
    ).toBeUndefined();
    expect(
      newChain().run(
        await triple([
          { index: 0, mode: modes.direct },
          { index: 2, mode: modes.amino },
        ]),
      ).error,
    ).toBeUndefined();
    // A direct signature declared as amino JSON does not verify.
    const swapped = await triple([{ index: 0, mode: modes.direct }, { index: 2 }]);
    const authInfo = AuthInfo.decode(TxRaw.decode(swapped).authInfoBytes);
    authInfo.signerInfos[0]!.modeInfo!.multi!.modeInfos[0]!.single!.mode = modes.amino;
    const raw = TxRaw.decode(swapped);
    const relabelled = TxRaw.encode({ ...raw, authInfoBytes: AuthInfo.encode(authInfo).finish() }).finish();
    expect(refused(newChain(), relabelled)).toMatchObject({
      codespace: 'sdk',
      code: 4,
      message: expect.stringMatching(/signature of multisig member 0 verification failed/),
    });
  });

  it('each signing member is charged its own verify cost: a third signature costs sig_verify_cost_secp256k1 more', async () => {
    const twoBytes = await triple([{ index: 0 }, { index: 1 }]);
    const threeBytes = await triple([{ index: 0 }, { index: 1 }, { index: 2 }]);
    const two = newChain().run(twoBytes);
    const three = newChain().run(threeBytes);
    expect(two.error).toBeUndefined();
    expect(three.error).toBeUndefined();
    // Plus the third signature's bytes (and its mode info) at tx_size_cost_per_byte 10.
    expect(three.gasUsed - two.gasUsed).toBe(1000 + 10 * (threeBytes.length - twoBytes.length));
  });

  it('one signature short of the threshold is refused (4), nothing changed', async () => {
    expect(refused(newChain(), await triple([{ index: 1 }]))).toEqual({
      codespace: 'sdk',
      code: 4,
      message: expect.stringMatching(/has 1 of the 2 signatures its threshold needs/),
    });
  });

  it('a bit array whose length is not the number of keys is refused (4), nothing changed', async () => {
    const bitarray = compactBitArray([true, false, true, false]);
    expect(refused(newChain(), await triple([{ index: 0 }, { index: 2 }], { bitarray }))).toEqual({
      codespace: 'sdk',
      code: 4,
      message: expect.stringMatching(/bit array has 4 bits, expected 3 \(one per member key\)/),
    });
    // A bit array that marks more signers than there are signatures.
    const marksThree = compactBitArray([true, true, true]);
    expect(refused(newChain(), await triple([{ index: 0 }, { index: 2 }], { bitarray: marksThree }))).toMatchObject({
      code: 4,
      message: expect.stringMatching(/marks 3 signers but the MultiSignature holds 2/),
    });
  });

  it('a wrong member signature is refused (4), nothing changed', async () => {
    const flipped = await triple([{ index: 0 }, { index: 2 }], {
      alterSignatures: ([a, b]) => [a!, Uint8Array.from(b!, (x, i) => (i === 10 ? x ^ 1 : x))],
    });
    expect(refused(newChain(), flipped)).toEqual({
      codespace: 'sdk',
      code: 4,
      message: expect.stringMatching(/signature of multisig member 2 verification failed/),
    });
    // Member 1's signature where member 0 signed.
    const other = await triple([{ index: 1 }, { index: 2 }]);
    const stolen = await triple([{ index: 0 }, { index: 2 }], { alterSignatures: ([, b]) => [memberSignatures(other)[0]!, b!] });
    expect(refused(newChain(), stolen)).toMatchObject({ code: 4, message: expect.stringMatching(/member 0 verification failed/) });
    // A short signature never reaches the curve.
    const short = await triple([{ index: 0 }, { index: 2 }], { alterSignatures: ([a, b]) => [a!.subarray(0, 63), b!] });
    expect(refused(newChain(), short)).toMatchObject({
      code: 4,
      message: expect.stringMatching(/member 0: secp256k1 signature is 63 bytes, expected 64/),
    });
  });

  it('a multisig key with a single mode info, or a non-MultiSignature signature, is refused', async () => {
    const good = TxRaw.decode(await triple([{ index: 0 }, { index: 2 }]));
    const authInfo = AuthInfo.decode(good.authInfoBytes);
    authInfo.signerInfos[0]!.modeInfo = { single: { mode: modes.amino } };
    const single = TxRaw.encode({ ...good, authInfoBytes: AuthInfo.encode(authInfo).finish() }).finish();
    expect(refused(newChain(), single)).toMatchObject({ code: 4, message: expect.stringMatching(/needs a multi mode info/) });
    const notMulti = TxRaw.encode({ ...good, signatures: [Uint8Array.of(0x0a, 0x05, 1, 2)] }).finish();
    expect(refused(newChain(), notMulti)).toMatchObject({ code: 2, message: expect.stringMatching(/not a MultiSignature/) });
  });

  it('a multisig key with threshold 0, or above its member count, is an invalid pubkey (8)', async () => {
    const good = TxRaw.decode(await triple([{ index: 0 }, { index: 2 }]));
    for (const threshold of [0, 4]) {
      const authInfo = AuthInfo.decode(good.authInfoBytes);
      authInfo.signerInfos[0]!.publicKey = {
        typeUrl: MULTISIG_PUBKEY_TYPE_URL,
        value: LegacyAminoPubKey.encode({ threshold, publicKeys: secp.map((m) => pubKeyToAny(m.pubkey)) }).finish(),
      };
      const bytes = TxRaw.encode({ ...good, authInfoBytes: AuthInfo.encode(authInfo).finish() }).finish();
      expect(refused(newChain(), bytes)).toMatchObject({
        code: 8,
        message: expect.stringMatching(new RegExp(`multisig threshold ${threshold} must be between 1 and its 3 member keys`)),
      });
    }
  });

  it('tx_sig_limit counts every member: a 2-of-8 multisig is refused (14) under the default limit 7, accepted under 8', async () => {
    const wide = await tx(BIG, { members: big, threshold: 2, signers: [{ index: 0 }, { index: 7 }] });
    expect(refused(newChain(), wide)).toEqual({ codespace: 'sdk', code: 14, message: expect.stringMatching(/signatures: 8, limit: 7/) });
    expect(newChain((p) => ({ ...p, txSigLimit: 8n })).run(wide).error).toBeUndefined();
  });

  it('simulate charges at least what the signed tx costs, with or without the multisig structure', async () => {
    const signed = newChain().run(await triple([{ index: 0 }, { index: 2 }]));
    const raw = TxRaw.decode(await triple([{ index: 0 }, { index: 2 }]));
    const empty = TxRaw.encode({ ...raw, signatures: [new Uint8Array()] }).finish();
    const simulated = newChain().run(empty, true);
    expect(simulated.error).toBeUndefined();
    expect(simulated.gasUsed).toBeGreaterThanOrEqual(signed.gasUsed);
  });

  it('a multisig account exports to genesis with multisig_pub_key and imports back the same; a key for another address is refused', async () => {
    const chain = newChain();
    expect(chain.run(await hybrid([{ index: 0 }, { index: 1 }])).error).toBeUndefined();
    const exported = chain.module.genesis!.export!(testContext({ store: chain.store })) as {
      accounts: { address: string; multisigPubKey?: string }[];
    };
    const entry = exported.accounts.find((a) => a.address === chain.addresses.hybrid)!;
    expect(entry.multisigPubKey).toBe(Buffer.from(pubKeyToAny(multisigKey([secp[0]!, pq], 2)).value).toString('base64'));
    const store = memoryStore();
    const { module, keeper } = createAuthModule({ config, moduleAccounts: [{ name: 'fee_collector' }] });
    module.genesis!.init(testContext({ store, mode: 'genesis' }), module.genesis!.validate(exported));
    expect(keeper.getPubKey(testContext({ store }), chain.addresses.hybrid)).toEqual(multisigKey([secp[0]!, pq], 2));
    const moved = {
      ...exported,
      accounts: exported.accounts
        .map((a) => (a.multisigPubKey ? { ...a, address: chain.addresses.triple } : a))
        .filter((a) => a.multisigPubKey),
    };
    expect(() => module.genesis!.validate(moved)).toThrow(/multisig_pub_key does not match the address/);
  });
});

describe('ante with a hybrid 2-of-2 secp256k1 + ML-DSA-65 multisig', () => {
  it("both signatures (amino JSON, or ML-DSA in direct mode) pass; each member charged its own type's cost", async () => {
    const both = await hybrid([{ index: 0 }, { index: 1 }]);
    const plain = newChain().run(both);
    expect(plain.error).toBeUndefined();
    const costly = newChain((p) => ({
      ...p,
      sigVerifyCostMlDsa65: p.sigVerifyCostMlDsa65 * 2n,
      sigVerifyCostSecp256k1: p.sigVerifyCostSecp256k1 * 3n,
    })).run(both);
    expect(costly.error).toBeUndefined();
    expect(costly.gasUsed - plain.gasUsed).toBe(52_000 + 2 * 1000);
    expect(newChain().run(await hybrid([{ index: 0 }, { index: 1, mode: modes.direct }])).error).toBeUndefined();
  });

  it('with either signature missing it is refused (4), nothing changed', async () => {
    for (const index of [0, 1]) {
      expect(refused(newChain(), await hybrid([{ index }]))).toEqual({
        codespace: 'sdk',
        code: 4,
        message: expect.stringMatching(/has 1 of the 2 signatures its threshold needs/),
      });
    }
  });

  it('a wrong ML-DSA member signature is refused (4), nothing changed', async () => {
    const flipped = await hybrid([{ index: 0 }, { index: 1 }], {
      alterSignatures: ([a, b]) => [a!, Uint8Array.from(b!, (x, i) => (i === 100 ? x ^ 1 : x))],
    });
    expect(refused(newChain(), flipped)).toMatchObject({
      code: 4,
      message: expect.stringMatching(/signature of multisig member 1 verification failed/),
    });
  });
});

/** The member signatures inside a tx's MultiSignature. */
function memberSignatures(bytes: Uint8Array): Uint8Array[] {
  return MultiSignature.decode(TxRaw.decode(bytes).signatures[0]!).signatures;
}
