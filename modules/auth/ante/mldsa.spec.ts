/**
 * The ante with ML-DSA signers: gas from the governance params, the key stored on the account,
 * and the genesis round trip of an ML-DSA account. Multisigs with ML-DSA members: multisig.spec.ts.
 */
import { decodeTx } from '../../../app/baseapp/tx-decoder.js';
import { LruSignatureCache } from '../../../app/crypto/signature-cache.js';
import { MlDsaDirectSigner, signMlDsaTx } from '../../../app/crypto/mldsa-signer.js';
import type { MlDsaLevel } from '../../../app/crypto/mldsa.js';
import { memoryStore } from '../../../app/store/cache-kv.js';
import { makeChainConfig } from '../../../app/types/chain-config.js';
import { ChainError } from '../../../app/types/errors.js';
import { runBranch, testContext } from '../../../test/harness.js';
import { createAuthModule } from '../module.js';
import { FakeFeeKeeper, lookupTestMsg, msgSend, registry } from '../testing.js';
import { createAnteHandler } from './ante.js';

const CHAIN = 'para-test';
const config = makeChainConfig('para', 'upara');
const seed = (n: number) => new Uint8Array(32).fill(n);
const signers = {
  'ml-dsa-44': MlDsaDirectSigner.fromSeed('ml-dsa-44', seed(1)),
  'ml-dsa-65': MlDsaDirectSigner.fromSeed('ml-dsa-65', seed(2)),
};
const offline = { getChainId: async () => CHAIN, getAccount: async () => null };
const fee = { amount: [{ denom: 'upara', amount: '10000' }], gas: '400000' };

function newChain() {
  const store = memoryStore();
  const { module, keeper } = createAuthModule({ config, moduleAccounts: [{ name: 'fee_collector' }] });
  const genesisCtx = testContext({ store, mode: 'genesis', chainId: CHAIN });
  module.genesis!.init(
    genesisCtx,
    module.genesis!.validate({ accounts: [{ address: signers['ml-dsa-44'].address }, { address: signers['ml-dsa-65'].address }] }),
  );
  const fees = new FakeFeeKeeper();
  for (const s of Object.values(signers)) fees.fund(genesisCtx, s.address, 1_000_000n);
  const ante = createAnteHandler({ accounts: keeper, fees, config, signatureCache: new LruSignatureCache(100) });
  const run = (bytes: Uint8Array) => {
    const ctx = testContext({ store, chainId: CHAIN, height: 10, mode: 'deliver', gasLimit: 400_000 });
    const tx = decodeTx(bytes, lookupTestMsg);
    const error = runBranch(ctx, (branch) => ante(branch, tx, false)) as ChainError | undefined;
    return { error, gasUsed: ctx.gas.consumed };
  };
  return { store, keeper, module, run };
}

const accountNumber = (level: MlDsaLevel) => (level === 'ml-dsa-44' ? 0 : 1);
const send = (level: MlDsaLevel, sequence: number) =>
  signMlDsaTx(offline, signers[level], [msgSend(signers[level].address, signers['ml-dsa-44'].address)], fee, {
    registry,
    signerData: { accountNumber: accountNumber(level), sequence, chainId: CHAIN },
  });

describe('ante with ML-DSA signers', () => {
  it.each(['ml-dsa-44', 'ml-dsa-65'] as const)(
    '%s: verifies, stores the key, and charges the verify cost the params say',
    async (level) => {
      const tx = await send(level, 0);
      const plain = newChain();
      const first = plain.run(tx);
      expect(first.error).toBeUndefined();
      expect(plain.keeper.getPubKey(testContext({ store: plain.store }), signers[level].address)).toEqual({
        algo: level,
        key: signers[level].publicKey,
      });

      // After governance doubles the cost, the same tx costs exactly that much more.
      const costly = newChain();
      const ctx = testContext({ store: costly.store });
      const params = costly.keeper.getParams(ctx);
      const field = level === 'ml-dsa-44' ? 'sigVerifyCostMlDsa44' : 'sigVerifyCostMlDsa65';
      costly.keeper.setParams(ctx, { ...params, [field]: params[field] * 2n });
      const again = costly.run(tx);
      expect(again.error).toBeUndefined();
      expect(again.gasUsed - first.gasUsed).toBe(Number(params[field]));
    },
  );

  it('an ML-DSA account exports to genesis with ml_dsa_pub_key and imports back the same', async () => {
    const chain = newChain();
    expect(chain.run(await send('ml-dsa-65', 0)).error).toBeUndefined();
    const exported = chain.module.genesis!.export!(testContext({ store: chain.store })) as {
      accounts: { address: string; mlDsaPubKey?: { parameterSet: string; key: string } }[];
    };
    const entry = exported.accounts.find((a) => a.address === signers['ml-dsa-65'].address)!;
    expect(entry.mlDsaPubKey).toEqual({
      parameterSet: 'PARAMETER_SET_ML_DSA_65',
      key: Buffer.from(signers['ml-dsa-65'].publicKey).toString('base64'),
    });
    const store = memoryStore();
    const { module, keeper } = createAuthModule({ config, moduleAccounts: [{ name: 'fee_collector' }] });
    module.genesis!.init(testContext({ store, mode: 'genesis' }), module.genesis!.validate(exported));
    expect(keeper.getPubKey(testContext({ store }), signers['ml-dsa-65'].address)).toEqual({
      algo: 'ml-dsa-65',
      key: signers['ml-dsa-65'].publicKey,
    });
    // A key that does not hash to the address is refused.
    const wrong = {
      ...exported,
      accounts: exported.accounts.map((a) => (a.mlDsaPubKey ? { ...a, address: signers['ml-dsa-44'].address } : a)),
    };
    expect(() => module.genesis!.validate({ ...wrong, accounts: wrong.accounts.filter((a) => a.mlDsaPubKey) })).toThrow(
      /ml_dsa_pub_key does not match the address/,
    );
  });
});
