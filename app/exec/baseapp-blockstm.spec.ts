/**
 * The real tx path under Block-STM: BaseApp (ante: signature, sequence, fee; tokens MsgSend on a
 * branch; gas-metered stores; events) with the seeded simulator — and with real worker threads
 * running `deliverTask` — as its executor must produce the same tx results and app hash as with
 * the sequential executor. Some of the block's txs are signed with SIGN_MODE_LEGACY_AMINO_JSON,
 * and some come from multisig accounts (a 2-of-3 secp256k1 one and a hybrid 2-of-2 secp256k1 +
 * ML-DSA-65 one), a refused multisig tx among them; the workers' pre-verification of multisig
 * member signatures changes nothing either.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeChain } from '../app.js';
import { BaseApp } from '../baseapp/baseapp.js';
import { addGenesisAccount, defaultAppState } from '../node/genesis.js';
import { CommitStore } from '../store/commit-store.js';
import { makeAccounts, signedTransfer } from '../../scripts/lib/signed-transfers.js';
import { finalizeRequest, initChainRequest } from '../../test/harness.js';
import { Prng } from './prng.js';
import { ParallelExecutor } from './parallel.js';
import { SimulatedExecutor } from './simulator.js';
import type { DeliverPayload } from '../baseapp/deliver-task.js';
import type { ExecStats, Executor } from './types.js';
import { makeSignDoc, serializeSignDoc } from '@cosmjs/amino';
import { AminoTypes, createDefaultAminoConverters } from '@cosmjs/stargate';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import secp256k1 from 'secp256k1';
import type { BenchAccount } from '../../scripts/lib/signed-transfers.js';
import { Secp256k1Wallet } from '@cosmjs/amino';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { MlDsaDirectSigner } from '../crypto/mldsa-signer.js';
import { mlDsaMember, multisigAddress, multisigKey, signMultisigTx, type MultisigMember } from '../../modules/auth/multisig-testing.js';
import { msgSend } from '../../modules/auth/testing.js';
import type { AnySigItem } from './signatures.js';

const chainId = 'blockstm-test';
const aminoTypes = new AminoTypes(createDefaultAminoConverters());

/** A MsgSend signed over its amino JSON StdSignDoc, as cosmjs's amino signer signs it; bumps `from.sequence`. */
function aminoTransfer(from: BenchAccount, to: string, amount: string): Uint8Array {
  const send = {
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    value: MsgSend.fromPartial({ fromAddress: from.address, toAddress: to, amount: [{ denom: 'upara', amount }] }),
  };
  const fee = { amount: [{ denom: 'upara', amount: '5000' }], gas: '200000' };
  const doc = makeSignDoc([aminoTypes.toAmino(send)], fee, chainId, '', Number(from.accountNumber), Number(from.sequence));
  const digest = createHash('sha256').update(serializeSignDoc(doc)).digest();
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({ messages: [{ typeUrl: send.typeUrl, value: MsgSend.encode(send.value).finish() }] }),
  ).finish();
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
/** A bench account as a multisig member (cosmjs wallets over its private key). */
async function benchMember(account: BenchAccount): Promise<MultisigMember> {
  const [direct, amino] = await Promise.all([
    DirectSecp256k1Wallet.fromKey(account.privateKey, 'para'),
    Secp256k1Wallet.fromKey(account.privateKey, 'para'),
  ]);
  return { address: account.address, pubkey: { algo: 'secp256k1', key: account.pubkey }, direct, amino };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('BaseApp with the Block-STM simulator as executor', () => {
  const chain = composeChain();
  const accounts = makeAccounts(6, chain.config.addresses);
  const pq = MlDsaDirectSigner.fromSeed('ml-dsa-65', new Uint8Array(32).fill(7));
  const tripleKey = multisigKey(
    accounts.slice(0, 3).map((a) => ({ address: a.address, pubkey: { algo: 'secp256k1', key: a.pubkey } }) as MultisigMember),
    2,
  );
  const hybridKey = multisigKey(
    [{ address: accounts[3]!.address, pubkey: { algo: 'secp256k1', key: accounts[3]!.pubkey } } as MultisigMember, mlDsaMember(pq)],
    2,
  );
  const multisigs = [multisigAddress(tripleKey), multisigAddress(hybridKey)]; // accounts 6 and 7
  let appState = defaultAppState(chain);
  for (const a of [...accounts.map((x) => x.address), ...multisigs])
    appState = addGenesisAccount(appState, a, [{ denom: 'upara', amount: '200000' }]);
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

  /** Multisig txs, spread through the block; they send to the accounts the transfers use. */
  const multisigTxAt = new Map<number, number>(); // block position → expected code
  beforeAll(async () => {
    const triple = await Promise.all(accounts.slice(0, 3).map(benchMember));
    const hybrid = [await benchMember(accounts[3]!), mlDsaMember(pq)];
    const direct = SignMode.SIGN_MODE_DIRECT;
    const plan = [
      { members: triple, accountNumber: 6, signers: [{ index: 0 }, { index: 1 }] },
      { members: hybrid, accountNumber: 7, signers: [{ index: 0 }, { index: 1 }] },
      { members: triple, accountNumber: 6, signers: [{ index: 1, mode: direct }, { index: 2 }] },
      { members: hybrid, accountNumber: 7, signers: [{ index: 0 }], refused: true }, // one signature short
      {
        members: hybrid,
        accountNumber: 7,
        signers: [
          { index: 0, mode: direct },
          { index: 1, mode: direct },
        ],
      },
      { members: triple, accountNumber: 6, signers: [{ index: 0 }, { index: 1 }, { index: 2 }] },
      { members: triple, accountNumber: 6, signers: [{ index: 0 }, { index: 2 }], forged: true },
      { members: hybrid, accountNumber: 7, signers: [{ index: 1 }, { index: 0, mode: direct }] },
    ];
    const sequences = [0, 0];
    for (const [k, step] of plan.entries()) {
      const which = step.accountNumber - 6;
      const from = multisigs[which]!;
      const { bytes } = await signMultisigTx({
        members: step.members,
        threshold: 2,
        signers: step.signers,
        msgs: [msgSend(from, accounts[k % accounts.length]!.address, String(100 + k))],
        accountNumber: step.accountNumber,
        sequence: sequences[which]!,
        chainId,
        omitPubKey: sequences[which]! > 0 && k % 2 === 0 && !step.forged,
        alterSignatures: step.forged ? ([a, b]) => [a!, Uint8Array.from(b!, (x, i) => (i === 5 ? x ^ 1 : x))] : undefined,
      });
      if (!step.refused && !step.forged) sequences[which]!++;
      const at = 7 + k * 14;
      txs.splice(at, 0, bytes);
      multisigTxAt.set(at, step.refused || step.forged ? 4 : 0);
    }
  });

  /** The multisig txs' results: all as planned (a refused or forged one code 4, the others committed). */
  function expectMultisigResults(results: readonly { code: number }[]) {
    expect([...multisigTxAt.keys()].map((at) => results[at]!.code)).toEqual([...multisigTxAt.values()]);
  }

  function run(executor?: Executor, fresh?: { preverify: (items: readonly AnySigItem[]) => boolean[] }) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-blockstm-'));
    dirs.push(home);
    const store = CommitStore.open(home, { noSync: true });
    // A fresh chain, when asked: its verified-signature cache starts empty.
    const composed = fresh ? composeChain() : chain;
    const preverified = fresh ? { cache: composed.signatureCache, checks: composed.signatureChecks, verify: fresh.preverify } : undefined;
    const app = new BaseApp({ ...composed, store, executor, preverified });
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
    const transfers = want.txResults.filter((_, i) => !multisigTxAt.has(i));
    expect(transfers.filter((r, i) => i % 5 === 2 && i % 17 !== 5 && r.code === 4)).toEqual([]);
    expect(transfers.filter((r, i) => i % 5 === 2 && r.code === 0).length).toBeGreaterThan(10);
    expectMultisigResults(want.txResults);
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
    const pool = await ParallelExecutor.create({
      workers: 3,
      taskModule,
      minParallelTxs: 0,
      conflictBailout: { after: 0, ratio: Infinity },
    });
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

  it('same results when the workers pre-verify every multisig member signature (a forged one left to the ante)', async () => {
    const want = run();
    const pool = await ParallelExecutor.create({
      workers: 2,
      taskModule: { url: new URL('../chain-task.ts', import.meta.url).href, exportName: 'deliverTask' },
      minParallelTxs: 0,
    });
    try {
      const items: AnySigItem[] = [];
      const valid: boolean[] = [];
      const got = run(undefined, {
        preverify: (batch) => {
          const result = pool.verifySignatures(batch);
          items.push(...batch);
          valid.push(...result);
          return result;
        },
      });
      expectMultisigResults(got.txResults);
      expect(got.txResults).toEqual(want.txResults);
      expect(Buffer.from(got.appHash).toString('hex')).toBe(Buffer.from(want.appHash).toString('hex'));
      // Each multisig member signature is an item of its own. Two ML-DSA-65 ones: the hybrid tx one
      // signature short is left to the ante (which refuses it), and so is the one without its key
      // in the SignerInfo, as the key reaches the account only when the block runs. Only the forged
      // member signature fails.
      expect(items.filter((item) => item.algo === 'ml-dsa-65').length).toBe(2);
      expect(valid.filter((v) => !v).length).toBe(1);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
