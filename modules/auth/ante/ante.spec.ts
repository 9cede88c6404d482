import secp256k1 from 'secp256k1';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { decodeTx } from '../../../app/baseapp/tx-decoder.js';
import type { DecodedTx } from '../../../app/baseapp/tx-types.js';
import { AminoJsonCodec } from '../../../app/codec/amino-json.js';
import { coreSchemas } from '../../../app/codec/message-schemas.js';
import { LruSignatureCache } from '../../../app/crypto/signature-cache.js';
import { memoryStore } from '../../../app/store/cache-kv.js';
import type { KVStore } from '../../../app/store/types.js';
import { makeChainConfig } from '../../../app/types/chain-config.js';
import type { ExecMode } from '../../../app/types/context.js';
import { ChainError } from '../../../app/types/errors.js';
import type { Event } from '../../../app/types/events.js';
import { dumpStore, runBranch, testContext } from '../../../test/harness.js';
import type { AuthKeeper } from '../keeper.js';
import { createAuthModule } from '../module.js';
import {
  FakeFeeKeeper,
  lookupTestMsg,
  msgSend,
  msgSendHandler,
  signTx,
  simulateTx,
  testSigners,
  type SignOptions,
  type TestSigner,
} from '../testing.js';
import { createAnteHandler } from './ante.js';
import { SIMULATED_SIGNATURE_BYTES } from './basic.js';
import type { SinglePubKey } from '../../../app/crypto/account-keys.js';

const CHAIN = 'para-test';
const config = makeChainConfig('para', 'upara');
let alice: TestSigner;
let bob: TestSigner;
let carol: TestSigner; // never in genesis

beforeAll(async () => {
  [alice, bob, carol] = await testSigners(3);
});

interface Chain {
  store: KVStore;
  keeper: AuthKeeper;
  fees: FakeFeeKeeper;
  cache: LruSignatureCache;
  run(
    bytes: Uint8Array,
    options?: { height?: number; mode?: ExecMode; simulate?: boolean; chainId?: string; gasLimit?: number },
  ): { error?: ChainError; events: readonly Event[]; gasUsed: number };
}

/** alice = account 0, bob = account 1 (genesis order), both funded in the fake fee keeper. */
function newChain(): Chain {
  const store = memoryStore();
  const { module, keeper } = createAuthModule({ config, moduleAccounts: [{ name: 'fee_collector' }, { name: 'governance' }] });
  const genesisCtx = testContext({ store, mode: 'genesis', chainId: CHAIN });
  module.genesis!.init(genesisCtx, module.genesis!.validate({ accounts: [{ address: alice.address }, { address: bob.address }] }));
  const fees = new FakeFeeKeeper();
  fees.fund(genesisCtx, alice.address, 1_000_000n);
  fees.fund(genesisCtx, bob.address, 1_000_000n);
  const cache = new LruSignatureCache(100);
  const aminoJson = new AminoJsonCodec(coreSchemas, [msgSendHandler]);
  const ante = createAnteHandler({ accounts: keeper, fees, config, signatureCache: cache, aminoJson: () => aminoJson });
  return {
    store,
    keeper,
    fees,
    cache,
    run(bytes, options = {}) {
      const simulate = options.simulate ?? false;
      const ctx = testContext({
        store,
        chainId: options.chainId ?? CHAIN,
        height: options.height ?? 10,
        mode: options.mode ?? (simulate ? 'simulate' : 'deliver'),
        gasLimit: simulate ? undefined : (options.gasLimit ?? 200_000),
      });
      let tx: DecodedTx;
      try {
        tx = decodeTx(bytes, lookupTestMsg);
      } catch (err) {
        return { error: err as ChainError, events: [], gasUsed: 0 };
      }
      const error = runBranch(ctx, (branch) => ante(branch, tx, simulate)) as ChainError | undefined;
      if (error !== undefined && !(error instanceof ChainError)) throw error;
      return { error, events: ctx.events.events, gasUsed: ctx.gas.consumed };
    },
  };
}

function aliceSends(
  overrides: Partial<SignOptions> = {},
): Promise<{ bytes: Uint8Array; signatures: Uint8Array[]; bodyBytes: Uint8Array; authInfoBytes: Uint8Array }> {
  return signTx({
    msgs: [msgSend(alice.address, bob.address)],
    signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
    chainId: CHAIN,
    ...overrides,
  });
}

function sequenceOf(chain: Chain, address: string): bigint {
  return chain.keeper.getAccount(testContext({ store: chain.store }), address)!.sequence;
}

/** Runs a tx that must fail with `code` and leave every store untouched. */
function expectRejected(
  chain: Chain,
  bytes: Uint8Array,
  code: number,
  message?: RegExp | string,
  options?: Parameters<Chain['run']>[1],
): ChainError {
  const before = dumpStore(chain.store);
  const { error } = chain.run(bytes, options);
  expect(error).toBeInstanceOf(ChainError);
  expect({ codespace: error!.codespace, code: error!.code }).toEqual({ codespace: 'sdk', code });
  if (message) expect(error!.message).toMatch(message);
  expect(dumpStore(chain.store)).toEqual(before);
  return error!;
}

function attrs(events: readonly Event[], type: string): Record<string, string>[] {
  return events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
}

function highS(signature: Uint8Array): Uint8Array {
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const s = BigInt('0x' + Buffer.from(signature.subarray(32)).toString('hex'));
  const out = Uint8Array.from(signature);
  out.set(Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}

describe('ante handler', () => {
  it('accepts a valid cosmjs tx: fee paid by the first signer, pubkey stored, sequence bumped, SDK events', async () => {
    const chain = newChain();
    const tx = await aliceSends();
    const { error, events, gasUsed } = chain.run(tx.bytes);
    expect(error).toBeUndefined();
    const ctx = testContext({ store: chain.store });
    expect(sequenceOf(chain, alice.address)).toBe(1n);
    expect(Buffer.from((chain.keeper.getPubKey(ctx, alice.address) as SinglePubKey).key)).toEqual(Buffer.from(alice.pubkey));
    expect(chain.fees.balance(ctx, alice.address)).toBe(1_000_000n - 5000n);
    expect(chain.fees.calls).toEqual([{ payer: alice.address, fee: [{ denom: 'upara', amount: '5000' }] }]);
    expect(attrs(events, 'tx')).toEqual([
      { fee: '5000upara', fee_payer: alice.address },
      { acc_seq: `${alice.address}/0` },
      { signature: Buffer.from(tx.signatures[0]!).toString('base64') },
    ]);
    // 10 gas per tx byte + 1000 for the secp256k1 check, plus store access.
    expect(gasUsed).toBeGreaterThan(10 * tx.bytes.length + 1000);

    // The next tx uses sequence 1 and may leave the (now stored) pubkey out.
    const next = await aliceSends({ signers: [{ signer: alice, accountNumber: 0, sequence: 1 }], omitPubKey: true });
    expect(chain.run(next.bytes).error).toBeUndefined();
    expect(sequenceOf(chain, alice.address)).toBe(2n);
  });

  it('uses the account number of the signer (bob = 1) and verifies multi-signer txs', async () => {
    const chain = newChain();
    const tx = await signTx({
      msgs: [msgSend(bob.address, alice.address), msgSend(alice.address, bob.address)],
      signers: [
        { signer: bob, accountNumber: 1, sequence: 0 },
        { signer: alice, accountNumber: 0, sequence: 0 },
      ],
      chainId: CHAIN,
    });
    const { error, events } = chain.run(tx.bytes);
    expect(error).toBeUndefined();
    expect(sequenceOf(chain, alice.address)).toBe(1n);
    expect(sequenceOf(chain, bob.address)).toBe(1n);
    expect(attrs(events, 'tx')[0]).toEqual({ fee: '5000upara', fee_payer: bob.address });
    expect(
      attrs(events, 'tx')
        .map((a) => a.acc_seq)
        .filter(Boolean),
    ).toEqual([`${bob.address}/0`, `${alice.address}/0`]);
  });

  it('rejects a bad signature (4)', async () => {
    const chain = newChain();
    const tx = await aliceSends();
    const sig = Uint8Array.from(tx.signatures[0]!);
    sig[10] ^= 0x01;
    const bytes = TxRaw.encode({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, signatures: [sig] }).finish();
    expectRejected(
      chain,
      bytes,
      4,
      'signature verification failed; please verify account number (0), sequence (0) and chain-id (para-test)',
    );
  });

  it('rejects the high-S twin of a valid signature (4)', async () => {
    const chain = newChain();
    const tx = await aliceSends();
    const twin = highS(tx.signatures[0]!);
    // The twin is a mathematically valid ECDSA signature once normalised...
    expect(Buffer.from(secp256k1.signatureNormalize(Uint8Array.from(twin)))).toEqual(Buffer.from(tx.signatures[0]!));
    const bytes = TxRaw.encode({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, signatures: [twin] }).finish();
    expectRejected(chain, bytes, 4, /signature verification failed/);
    // ...and the original still passes.
    expect(chain.run(tx.bytes).error).toBeUndefined();
  });

  it('rejects a signature for another chain id (4)', async () => {
    const chain = newChain();
    const tx = await aliceSends({ chainId: 'other-chain' });
    expectRejected(chain, tx.bytes, 4, /chain-id \(para-test\)/);
  });

  it('rejects a signature over the wrong account number (4)', async () => {
    const chain = newChain();
    const tx = await aliceSends({ signers: [{ signer: alice, accountNumber: 1, sequence: 0 }] });
    expectRejected(chain, tx.bytes, 4, /account number \(0\)/);
  });

  it('rejects a replayed tx with ErrWrongSequence (32) and the SDK log', async () => {
    const chain = newChain();
    const tx = await aliceSends();
    expect(chain.run(tx.bytes).error).toBeUndefined();
    expectRejected(chain, tx.bytes, 32, 'account sequence mismatch, expected 1, got 0: incorrect account sequence');
  });

  it('rejects a fee below ceil(min gas price × gas limit) (13), in check and deliver mode', async () => {
    const chain = newChain();
    // 0.025 × 200001 = 5000.025 → 5001 required.
    const tx = await aliceSends({ gasLimit: 200_001, fee: [{ denom: 'upara', amount: '5000' }] });
    expectRejected(chain, tx.bytes, 13, 'insufficient fees; got: 5000upara required: 5001upara', { gasLimit: 200_001 });
    expectRejected(chain, tx.bytes, 13, /insufficient fees/, { gasLimit: 200_001, mode: 'check' });
    const wrongDenom = await aliceSends({ fee: [{ denom: 'uother', amount: '999999' }] });
    expectRejected(chain, wrongDenom.bytes, 13, /required: 5000upara/);
    const exact = await aliceSends({ gasLimit: 200_001, fee: [{ denom: 'upara', amount: '5001' }] });
    expect(chain.run(exact.bytes, { gasLimit: 200_001 }).error).toBeUndefined();
  });

  it('fails with ErrInsufficientFunds (5) when the payer cannot pay', async () => {
    const chain = newChain();
    const tx = await aliceSends({ fee: [{ denom: 'upara', amount: '2000000' }] });
    expectRejected(chain, tx.bytes, 5);
  });

  it('rejects an unknown signer account (9)', async () => {
    const chain = newChain();
    const tx = await signTx({
      msgs: [msgSend(carol.address, bob.address)],
      signers: [{ signer: carol, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    expectRejected(chain, tx.bytes, 9, /does not exist/);
  });

  it('rejects a signer created earlier in the same block, whose number EndBlock has yet to assign (auth 6)', async () => {
    const chain = newChain();
    chain.keeper.ensureAccount(testContext({ store: chain.store, height: 10, txIndex: 0 }), carol.address);
    chain.fees.fund(testContext({ store: chain.store }), carol.address, 1_000_000n);
    const tx = await signTx({
      msgs: [msgSend(carol.address, bob.address)],
      signers: [{ signer: carol, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    for (const mode of ['deliver', 'check'] as const) {
      const { error } = chain.run(tx.bytes, { mode });
      expect({ codespace: error?.codespace, code: error?.code }).toEqual({ codespace: 'auth', code: 6 });
      expect(error?.message).toMatch(/created in this block/);
    }
  });

  it('rejects a pubkey that does not hash to the signer (8)', async () => {
    const chain = newChain();
    // Bob signs (with his key in SignerInfo) a message whose signer is alice.
    const tx = await signTx({
      msgs: [msgSend(alice.address, bob.address)],
      signers: [{ signer: bob, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    expectRejected(chain, tx.bytes, 8, /pubKey does not match signer address/);
  });

  it('rejects a first tx without a pubkey (8)', async () => {
    const chain = newChain();
    const tx = await aliceSends({ omitPubKey: true });
    expectRejected(chain, tx.bytes, 8, /pubkey on account .* is not set/);
  });

  it('rejects a memo over max_memo_characters (12)', async () => {
    const chain = newChain();
    const tx = await aliceSends({ memo: 'x'.repeat(257) });
    expectRejected(chain, tx.bytes, 12, 'maximum number of characters is 256 but received 257 characters');
    expect(chain.run((await aliceSends({ memo: 'x'.repeat(256) })).bytes).error).toBeUndefined();
  });

  it('rejects a tx past its timeout height (30)', async () => {
    const chain = newChain();
    const tx = await aliceSends({ timeoutHeight: 9n });
    expectRejected(chain, tx.bytes, 30, 'block height: 10, timeout height: 9');
    expect(chain.run(tx.bytes, { height: 9 }).error).toBeUndefined();
  });

  it("accepts SIGN_MODE_LEGACY_AMINO_JSON from cosmjs's amino signer, with the same checks as direct", async () => {
    const chain = newChain();
    const amino = { signMode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON, memo: 'a <memo> & more', timeoutHeight: 20n };
    const tx = await aliceSends(amino);
    const { error, gasUsed } = chain.run(tx.bytes);
    expect(error).toBeUndefined();
    expect(sequenceOf(chain, alice.address)).toBe(1n);
    expect(gasUsed).toBeGreaterThan(10 * tx.bytes.length + 1000);
    // Replayed: wrong sequence (32); signed for sequence 0 but sent as 1: bad signature (4).
    expectRejected(chain, tx.bytes, 32);
    const stale = await aliceSends({ ...amino, signers: [{ signer: alice, accountNumber: 0, sequence: 0 }] });
    const resequenced = await aliceSends({ ...amino, signers: [{ signer: alice, accountNumber: 0, sequence: 1 }] });
    const forged = TxRaw.encode({
      bodyBytes: resequenced.bodyBytes,
      authInfoBytes: resequenced.authInfoBytes,
      signatures: stale.signatures,
    }).finish();
    expectRejected(
      chain,
      forged,
      4,
      'signature verification failed; please verify account number (0), sequence (1) and chain-id (para-test)',
    );
    // Wrong account number, wrong chain id, a flipped bit: the usual unauthorized code.
    const otherNumber = await aliceSends({ ...amino, signers: [{ signer: alice, accountNumber: 1, sequence: 1 }] });
    expectRejected(chain, otherNumber.bytes, 4, 'signature verification failed');
    expectRejected(chain, resequenced.bytes, 4, 'signature verification failed', { chainId: 'other-chain' });
    const sig = Uint8Array.from(resequenced.signatures[0]!);
    sig[5] ^= 0x01;
    expectRejected(
      chain,
      TxRaw.encode({ bodyBytes: resequenced.bodyBytes, authInfoBytes: resequenced.authInfoBytes, signatures: [sig] }).finish(),
      4,
    );
    // A direct signature sent as amino (and the reverse) does not verify.
    const direct = await aliceSends({
      signers: [{ signer: alice, accountNumber: 0, sequence: 1 }],
      memo: amino.memo,
      timeoutHeight: amino.timeoutHeight,
    });
    expectRejected(
      chain,
      TxRaw.encode({ bodyBytes: resequenced.bodyBytes, authInfoBytes: resequenced.authInfoBytes, signatures: direct.signatures }).finish(),
      4,
    );
    expect(chain.run(resequenced.bytes).error).toBeUndefined();
    expect(sequenceOf(chain, alice.address)).toBe(2n);
  });

  it('rejects other sign modes (4) and a zero gas limit (41)', async () => {
    const chain = newChain();
    for (const signMode of [SignMode.SIGN_MODE_UNSPECIFIED, SignMode.SIGN_MODE_TEXTUAL, SignMode.SIGN_MODE_DIRECT_AUX]) {
      const other = await aliceSends({ signMode });
      expectRejected(chain, other.bytes, 4, /not supported; sign with SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON/);
    }
    const noGas = await aliceSends({ gasLimit: 0, fee: [] });
    expectRejected(chain, noGas.bytes, 41);
  });

  it('rejects more signatures than tx_sig_limit (14)', async () => {
    const chain = newChain();
    const ctx = testContext({ store: chain.store });
    chain.keeper.setParams(ctx, { ...chain.keeper.getParams(ctx), txSigLimit: 1n });
    const tx = await signTx({
      msgs: [msgSend(bob.address, alice.address), msgSend(alice.address, bob.address)],
      signers: [
        { signer: bob, accountNumber: 1, sequence: 0 },
        { signer: alice, accountNumber: 0, sequence: 0 },
      ],
      chainId: CHAIN,
    });
    expectRejected(chain, tx.bytes, 14, 'signatures: 2, limit: 1');
  });

  it('runs out of gas (11) when the gas limit does not cover the tx size', async () => {
    const chain = newChain();
    const tx = await aliceSends({ gasLimit: 1000, fee: [{ denom: 'upara', amount: '25' }] });
    expectRejected(chain, tx.bytes, 11, undefined, { gasLimit: 1000 });
  });

  it('decoder failures: random bytes (2), truncated TxRaw (2), unknown Msg type (6)', async () => {
    const chain = newChain();
    expectRejected(chain, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 2);
    const tx = await aliceSends();
    expectRejected(chain, tx.bytes.subarray(0, tx.bytes.length - 5), 2);
    const unknown = await signTx({
      msgs: [{ typeUrl: '/cosmos.bank.v1beta1.MsgMultiSend', value: { inputs: [], outputs: [] } }],
      signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    expectRejected(chain, unknown.bytes, 6, /MsgMultiSend/);
  });

  it('simulate: accepts the unsigned tx cosmjs sends, charges the missing signature and its check', async () => {
    const chain = newChain();
    const bytes = simulateTx([msgSend(alice.address, bob.address)], alice, 0);
    const sim = chain.run(bytes, { simulate: true });
    expect(sim.error).toBeUndefined();
    expect(sequenceOf(chain, alice.address)).toBe(1n);

    // The real tx must not need more gas than simulate estimated.
    const fresh = newChain();
    const real = await aliceSends();
    const delivered = fresh.run(real.bytes);
    expect(delivered.error).toBeUndefined();
    // cosmjs's fee: "auto" multiplies the estimate by 1.4; the estimate lacks only the fee bytes and
    // the fee transfer (cosmjs simulates with an empty fee, as against the SDK).
    expect(sim.gasUsed * 1.4).toBeGreaterThanOrEqual(delivered.gasUsed);
    expect(sim.gasUsed).toBeGreaterThan(delivered.gasUsed * 0.8);
    expect(sim.gasUsed - 10 * bytes.length).toBeGreaterThanOrEqual(10 * SIMULATED_SIGNATURE_BYTES + 1000);
    // A wrong sequence still fails in simulate.
    expect(newChain().run(simulateTx([msgSend(alice.address, bob.address)], alice, 3), { simulate: true }).error?.code).toBe(32);
  });

  it('remembers verified signatures, keyed by tx hash, signer, account number and chain', async () => {
    const chain = newChain();
    const tx = await aliceSends();
    expect(chain.run(tx.bytes, { mode: 'check' }).error).toBeUndefined();
    expect(chain.cache.size).toBe(1);
    // A failed signature is never cached.
    const bad = TxRaw.encode({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, signatures: [highS(tx.signatures[0]!)] }).finish();
    chain.run(bad, { mode: 'check' });
    expect(chain.cache.size).toBe(1);
  });
});
