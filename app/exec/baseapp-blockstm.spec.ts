/**
 * The real tx path under Block-STM: BaseApp (ante: signature, sequence, fee; tokens MsgSend on a
 * branch; gas-metered stores; events) with the seeded simulator — and with real worker threads
 * running `deliverTask` — as its executor must produce the same tx results and app hash as with
 * the sequential executor. Some of the block's txs are signed with SIGN_MODE_LEGACY_AMINO_JSON.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeChain } from '../app.js';
import { BaseApp } from '../baseapp/baseapp.js';
import type { BlockExecutor } from '../baseapp/executor.js';
import { addGenesisAccount, defaultAppState } from '../node/genesis.js';
import { CommitStore } from '../store/commit-store.js';
import { makeAccounts, signedTransfer } from '../../scripts/lib/signed-transfers.js';
import { finalizeRequest, initChainRequest } from '../../test/harness.js';
import { Prng } from './prng.js';
import { ParallelExecutor } from './parallel.js';
import { SimulatedExecutor } from './simulator.js';
import type { DeliverPayload } from '../baseapp/deliver-task.js';
import type { ExecStats } from './types.js';
import { makeSignDoc, serializeSignDoc } from '@cosmjs/amino';
import { AminoTypes, createDefaultAminoConverters } from '@cosmjs/stargate';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import secp256k1 from 'secp256k1';
import type { BenchAccount } from '../../scripts/lib/signed-transfers.js';

const chainId = 'blockstm-test';
const aminoTypes = new AminoTypes(createDefaultAminoConverters());

/** A MsgSend signed over its amino JSON StdSignDoc, as cosmjs's amino signer signs it; bumps `from.sequence`. */
function aminoTransfer(from: BenchAccount, to: string, amount: string): Uint8Array {
  const send = { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.fromPartial({ fromAddress: from.address, toAddress: to, amount: [{ denom: 'upara', amount }] }) };
  const fee = { amount: [{ denom: 'upara', amount: '5000' }], gas: '200000' };
  const doc = makeSignDoc([aminoTypes.toAmino(send)], fee, chainId, '', Number(from.accountNumber), Number(from.sequence));
  const digest = createHash('sha256').update(serializeSignDoc(doc)).digest();
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: send.typeUrl, value: MsgSend.encode(send.value).finish() }] })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: from.pubkey }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } },
          sequence: from.sequence,
        },
      ],
      fee: { amount: fee.amount, gasLimit: 200_000n },
    }),
  ).finish();
  from.sequence += 1n;
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [secp256k1.ecdsaSign(digest, from.privateKey).signature] }).finish();
}
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('BaseApp with the Block-STM simulator as executor', () => {
  const chain = composeChain();
  const accounts = makeAccounts(6, chain.config.addresses);
  let appState = defaultAppState(chain);
  for (const a of accounts) appState = addGenesisAccount(appState, a.address, [{ denom: 'upara', amount: '200000' }]);
  const initChain = initChainRequest(chainId, appState);

  // 120 transfers among 6 accounts: sender sequence chains, balances that run out (failed msgs
  // that still pay fees), and a few txs with a wrong sequence (ante failures).
  const rng = new Prng(2026);
  const txs: Uint8Array[] = [];
  for (let i = 0; i < 120; i++) {
    const from = accounts[rng.int(accounts.length)]!;
    const to = accounts[rng.int(accounts.length)]!;
    if (i % 17 === 5) {
      txs.push(signedTransfer({ ...from, sequence: from.sequence + 3n }, to.address, { chainId, denom: 'upara' }));
      continue;
    }
    if (i % 5 === 2) {
      txs.push(aminoTransfer(from, to.address, String(1 + rng.int(60_000))));
      continue;
    }
    txs.push(signedTransfer(from, to.address, { chainId, denom: 'upara', amount: String(1 + rng.int(60_000)) }));
  }

  function run(executor?: BlockExecutor) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-blockstm-'));
    dirs.push(home);
    const store = CommitStore.open(home, { noSync: true });
    const app = new BaseApp({ ...chain, store, executor });
    app.initChain(initChain);
    const res = app.finalizeBlock(finalizeRequest(1, txs));
    store.close();
    return res;
  }

  it('same tx results (codes, gas, events) and app hash for several schedules', () => {
    const want = run();
    const codes = new Set(want.txResults.map((r) => r.code));
    expect(codes.size).toBeGreaterThan(1); // the block really mixes successes and failures
    // The amino-signed txs passed the ante (a refused signature would be code 4).
    expect(want.txResults.filter((r, i) => i % 5 === 2 && i % 17 !== 5 && r.code === 4)).toEqual([]);
    expect(want.txResults.filter((r, i) => i % 5 === 2 && r.code === 0).length).toBeGreaterThan(10);
    for (const [seed, workers] of [
      [1, 2],
      [2, 4],
      [3, 8],
    ] as const) {
      const sim = new SimulatedExecutor({ workers, seed });
      let stats: ExecStats | undefined;
      const got = run({
        execute(base, task) {
          const r = sim.execute(base, task);
          stats = r.stats;
          return r;
        },
      });
      expect(stats!.aborts + stats!.dependencyWaits).toBeGreaterThan(0); // conflicts were resolved, not absent
      expect(stats!.fellBackToSequential).toBe(false);
      expect(got.txResults).toEqual(want.txResults);
      expect(Buffer.from(got.appHash).toString('hex')).toBe(Buffer.from(want.appHash).toString('hex'));
    }
  });

  it('same results on worker threads that rebuild the tx runner from deliverTask', async () => {
    const want = run();
    const taskModule = { url: new URL('../chain-task.ts', import.meta.url).href, exportName: 'deliverTask' };
    const pool = await ParallelExecutor.create({ workers: 3, taskModule, minParallelTxs: 0, conflictBailout: { after: 0, ratio: Infinity } });
    try {
      // BaseApp hands the executor a closure; the payload is what the workers rebuild it from.
      const payload: DeliverPayload = { chainId, height: 1, timeMs: 1_700_000_001_000, txs };
      let stats: ExecStats | undefined;
      const got = run({
        execute(base, task) {
          const r = pool.execute(base, { ...task, payload });
          stats = r.stats;
          return r;
        },
      });
      expect(stats!.executor).toBe('workers');
      expect(stats!.mainThreadRuns).toBeLessThan(stats!.executions + stats!.dependencyWaits); // workers ran some
      expect(got.txResults).toEqual(want.txResults);
      expect(Buffer.from(got.appHash).toString('hex')).toBe(Buffer.from(want.appHash).toString('hex'));
    } finally {
      await pool.close();
    }
  });
});
