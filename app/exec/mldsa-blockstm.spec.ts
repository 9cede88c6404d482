/**
 * Blocks with ML-DSA-signed txs: the sequential executor, Block-STM on worker threads, and the
 * workers' signature pre-verification (verifySignatures on ML-DSA items) give the same tx results
 * and app hash — forged ML-DSA signatures and malformed keys included.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { makeAuthInfoBytes, makeSignDoc } from '@cosmjs/proto-signing';
import { ML_DSA_PUBKEY_TYPE_URL } from '../crypto/account-keys.js';
import { ParameterSet, PubKey as MlDsaPubKey } from '../../generated/parazone/crypto/mldsa/v1/keys.js';
import { composeChain } from '../app.js';
import { BaseApp } from '../baseapp/baseapp.js';
import { MlDsaDirectSigner, signMlDsaTx } from '../crypto/mldsa-signer.js';
import type { MlDsaLevel } from '../crypto/mldsa.js';
import { addGenesisAccount, defaultAppState } from '../node/genesis.js';
import { CommitStore } from '../store/commit-store.js';
import { makeAccounts, signedTransfer } from '../../scripts/lib/signed-transfers.js';
import { finalizeRequest, initChainRequest } from '../../test/harness.js';
import type { DeliverPayload } from '../baseapp/deliver-task.js';
import { ParallelExecutor } from './parallel.js';
import type { AnySigItem } from './signatures.js';
import type { ExecStats, Executor } from './types.js';

const chainId = 'mldsa-blockstm';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const chain = composeChain();
const secp = makeAccounts(3, chain.config.addresses);
const levels: MlDsaLevel[] = ['ml-dsa-65', 'ml-dsa-44', 'ml-dsa-65'];
const pq = levels.map((level, i) => ({
  signer: MlDsaDirectSigner.fromSeed(level, createHash('sha256').update(`pq-${i}`).digest()),
  accountNumber: secp.length + i, // genesis order: the secp256k1 accounts first
  sequence: 0,
}));
let appState = defaultAppState(chain);
for (const a of [...secp.map((s) => s.address), ...pq.map((p) => p.signer.address)]) {
  appState = addGenesisAccount(appState, a, [{ denom: 'upara', amount: '100000000' }]);
}
const initChain = initChainRequest(chainId, appState);
const fee = { amount: [{ denom: 'upara', amount: '15000' }], gas: '600000' };
const offline = { getChainId: async () => chainId, getAccount: async () => null };

async function pqTransfer(from: (typeof pq)[number], to: string, amount: string): Promise<Uint8Array> {
  const value = MsgSend.fromPartial({ fromAddress: from.signer.address, toAddress: to, amount: [{ denom: 'upara', amount }] });
  const bytes = await signMlDsaTx(offline, from.signer, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value }], fee, {
    signerData: { accountNumber: from.accountNumber, sequence: from.sequence, chainId },
  });
  from.sequence++;
  return bytes;
}

let txs: Uint8Array[] = [];
beforeAll(async () => {
  // Transfers that chain ML-DSA and secp256k1 senders through the same accounts, one forged
  // ML-DSA signature and one truncated, amid ordinary secp256k1 transfers.
  for (let round = 0; round < 4; round++) {
    for (const [i, p] of pq.entries()) {
      txs.push(await pqTransfer(p, pq[(i + 1) % pq.length]!.signer.address, String(1000 + round)));
      txs.push(signedTransfer(secp[i]!, p.signer.address, { chainId, denom: 'upara', amount: String(7 + round) }));
    }
  }
  const forged = TxRaw.decode(await pqTransfer(pq[0]!, secp[0]!.address, '5'));
  forged.signatures[0]![200] ^= 1;
  const truncated = TxRaw.decode(await pqTransfer(pq[1]!, secp[0]!.address, '5'));
  truncated.signatures[0] = truncated.signatures[0]!.subarray(1);
  // A 1951-byte "ML-DSA-65" key in the SignerInfo: the pre-verification step must leave it to
  // the ante (code 8), not fail the block.
  const shortKey = {
    typeUrl: ML_DSA_PUBKEY_TYPE_URL,
    value: MlDsaPubKey.encode({
      parameterSet: ParameterSet.PARAMETER_SET_ML_DSA_65,
      key: Buffer.from(pq[2]!.signer.publicKey.subarray(1)),
    }).finish(),
  };
  const base = TxRaw.decode(await pqTransfer(pq[2]!, secp[0]!.address, '5'));
  pq[2]!.sequence--;
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey: shortKey, sequence: pq[2]!.sequence }],
    fee.amount,
    Number(fee.gas),
    undefined,
    undefined,
  );
  const signed = await pq[2]!.signer.signDirect(
    pq[2]!.signer.address,
    makeSignDoc(base.bodyBytes, authInfoBytes, chainId, pq[2]!.accountNumber),
  );
  const wrongKey = TxRaw.encode({
    bodyBytes: base.bodyBytes,
    authInfoBytes,
    signatures: [Buffer.from(signed.signature.signature, 'base64')],
  }).finish();
  txs = [
    ...txs,
    TxRaw.encode(forged).finish(),
    TxRaw.encode(truncated).finish(),
    wrongKey,
    await pqTransfer(pq[2]!, secp[1]!.address, '9'),
  ];
});

/** A fresh chain each run: its verified-signature cache starts empty. */
function run(options: { executor?: Executor; preverify?: (items: readonly AnySigItem[]) => boolean[] } = {}) {
  const chain = composeChain();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-mldsa-'));
  dirs.push(home);
  const store = CommitStore.open(home, { noSync: true });
  const preverified = options.preverify
    ? { cache: chain.signatureCache, checks: chain.signatureChecks, verify: options.preverify }
    : undefined;
  const app = new BaseApp({ ...chain, store, executor: options.executor, preverified });
  app.initChain(initChain);
  const res = app.finalizeBlock(finalizeRequest(1, txs));
  store.close();
  return res;
}

describe('blocks with ML-DSA txs', () => {
  it('sequential, Block-STM on workers and worker pre-verification agree', async () => {
    const want = run();
    const codes = want.txResults.map((r) => r.code);
    expect(codes.filter((c) => c === 0).length).toBe(txs.length - 3);
    expect(codes.slice(-4, -1)).toEqual([4, 4, 8]); // the forged and the truncated ML-DSA signature, the short key
    const taskModule = { url: new URL('../chain-task.ts', import.meta.url).href, exportName: 'deliverTask' };
    const pool = await ParallelExecutor.create({
      workers: 2,
      taskModule,
      minParallelTxs: 0,
      conflictBailout: { after: 0, ratio: Infinity },
    });
    try {
      const payload: DeliverPayload = { chainId, height: 1, timeMs: 1_700_000_001_000, txs };
      let stats: ExecStats | undefined;
      const executor: Executor = {
        execute(base, task) {
          const r = pool.execute(base, { ...task, payload });
          stats = r.stats;
          return r;
        },
      };
      const parallel = run({ executor });
      expect(stats!.executor).toBe('workers');
      expect(parallel.txResults).toEqual(want.txResults);
      expect(Buffer.from(parallel.appHash).toString('hex')).toBe(Buffer.from(want.appHash).toString('hex'));

      const verified: boolean[] = [];
      const preverified = run({
        executor,
        preverify: (items) => {
          const valid = pool.verifySignatures(items);
          items.forEach((item, i) => item.algo !== undefined && item.algo !== 'secp256k1' && verified.push(valid[i]!));
          return valid;
        },
      });
      // Every ML-DSA signature went through the workers; the forged and the truncated one did not verify.
      expect(verified.filter(Boolean).length).toBe(13);
      expect(verified.length).toBe(14);
      expect(preverified.txResults).toEqual(want.txResults);
      expect(Buffer.from(preverified.appHash).toString('hex')).toBe(Buffer.from(want.appHash).toString('hex'));
    } finally {
      await pool.close();
    }
  }, 120_000);
});
