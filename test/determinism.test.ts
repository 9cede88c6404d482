/**
 * Determinism guard: the same random transaction stream, touching every module, runs through two
 * independent nodes (separate module instances and LMDB stores); their app hashes must agree at
 * every height, and any divergence names the first differing key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MsgSubmitProposal, MsgVote } from '../generated/parazone/governance/v1/tx.js';
import { MsgMint } from '../generated/parazone/tokens/v1/tx.js';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { composeChain } from '../app/app.js';
import { BaseApp } from '../app/baseapp/baseapp.js';
import { addGenesisAccount, defaultAppState } from '../app/node/genesis.js';
import { CommitStore } from '../app/store/commit-store.js';
import { describeKey, firstDifference } from '../app/store/diff.js';
import { scenarioGenesis, scenarioSteps, type Actors } from '../modules/drugregistry/e2e-scenario.js';
import { makeAccounts, seededRandom, signedTx, type BenchAccount } from '../scripts/lib/signed-transfers.js';
import { finalizeRequest, initChainRequest } from './harness.js';

const chainId = 'determinism';
const denom = 'upara';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function node(appState: unknown) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-det-'));
  dirs.push(dir);
  const store = CommitStore.open(dir, { noSync: true });
  const app = new BaseApp({ ...composeChain(), store });
  app.initChain(initChainRequest(chainId, appState));
  return { app, store };
}

/** A random stream: transfers (some failing), multi-Msg txs, a governance round, the drug scenario. */
function* blocks(seed: number, accounts: BenchAccount[], actors: Actors): Generator<Uint8Array[]> {
  const random = seededRandom(seed);
  const chain = composeChain();
  const drug = new Map(chain.modules.find((m) => m.name === 'drugregistry')!.msgs!.map((h) => [h.typeUrl, h]));
  const drugSteps = scenarioSteps(actors).filter((s) => s.kind === 'tx');
  const byAddress = new Map(accounts.map((a) => [a.address, a]));
  const gov = chain.config.addresses.moduleAddress('governance');
  const treasury = chain.config.addresses.moduleAddress('treasury');
  const send = (from: BenchAccount, to: BenchAccount, amount: bigint) => ({
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    value: MsgSend.encode(MsgSend.fromPartial({ fromAddress: from.address, toAddress: to.address, amount: [{ denom, amount: amount.toString() }] })).finish(),
  });
  const pick = () => accounts[Math.floor(random() * accounts.length)]!;
  const opts = { chainId, denom, feeAmount: '250000', gasLimit: 10_000_000n };
  for (let height = 1; height <= 30; height++) {
    const txs: Uint8Array[] = [];
    const used = new Set<BenchAccount>();
    const signer = (a: BenchAccount) => (used.has(a) ? undefined : (used.add(a), a));
    const step = drugSteps[height - 1];
    if (step && step.kind === 'tx') {
      const from = byAddress.get(actors[step.signer])!;
      const handler = drug.get(step.typeUrl)!;
      if (signer(from)) txs.push(signedTx(from, [{ typeUrl: step.typeUrl, value: handler.type.encode(handler.type.fromPartial(step.value)).finish() }], opts));
    }
    if (height === 2) {
      const proposer = accounts[4]!;
      const mint = MsgMint.encode(MsgMint.fromPartial({ authority: gov, recipient: treasury, amount: [{ denom, amount: '777' }] })).finish();
      const submit = MsgSubmitProposal.fromPartial({ messages: [{ typeUrl: '/parazone.tokens.v1.MsgMint', value: Buffer.from(mint) }], initialDeposit: [{ denom, amount: '10000000' }], proposer: proposer.address, title: 't', summary: 's' });
      if (signer(proposer)) txs.push(signedTx(proposer, [{ typeUrl: '/parazone.governance.v1.MsgSubmitProposal', value: MsgSubmitProposal.encode(submit).finish() }], opts));
    }
    if (height >= 3 && height <= 6) {
      for (const voter of [accounts[4]!, accounts[5]!]) {
        const vote = MsgVote.fromPartial({ proposalId: 1n, voter: voter.address, option: 1 + Math.floor(random() * 4) });
        if (signer(voter)) txs.push(signedTx(voter, [{ typeUrl: '/parazone.governance.v1.MsgVote', value: MsgVote.encode(vote).finish() }], opts));
      }
    }
    for (let i = 0; i < 8; i++) {
      const from = signer(pick());
      if (!from) continue;
      // Mostly affordable; now and then more than the sender has (a failing Msg, fee still paid).
      const amount = random() < 0.1 ? 10n ** 15n : BigInt(1 + Math.floor(random() * 1000));
      const msgs = random() < 0.3 ? [send(from, pick(), amount), send(from, pick(), 1n)] : [send(from, pick(), amount)];
      txs.push(signedTx(from, msgs, opts));
    }
    yield txs;
  }
}

it.each([1, 2, 3])('two independent nodes agree on every app hash and result (seed %i)', (seed) => {
  const chain = composeChain();
  const accounts = makeAccounts(8, chain.config.addresses);
  const actors: Actors = { gov: chain.config.addresses.moduleAddress('governance'), regulator: accounts[0]!.address, manufacturer: accounts[1]!.address, wholesaler: accounts[2]!.address, dispenser: accounts[3]!.address };
  let appState = defaultAppState(chain) as Record<string, unknown>;
  for (const a of accounts) appState = addGenesisAccount(appState, a.address, [{ denom, amount: '1000000000000' }]);
  appState.drugregistry = scenarioGenesis(actors);
  const gov = appState.governance as { params: Record<string, unknown> };
  gov.params = { ...gov.params, votingPeriodSeconds: '5' };

  const a = node(appState);
  const b = node(appState);
  let height = 0;
  let failures = 0;
  for (const txs of blocks(seed, accounts, actors)) {
    height++;
    const req = finalizeRequest(height, txs);
    const ra = a.app.finalizeBlock(req);
    const rb = b.app.finalizeBlock(req);
    a.app.commit();
    b.app.commit();
    if (Buffer.compare(ra.appHash, rb.appHash) !== 0) {
      const diff = firstDifference(a.store.latest(), b.store.latest());
      throw new Error(`app hashes diverge at height ${height}; first differing key: ${diff ? describeKey(diff.key) : '(none in state: hash bug)'}`);
    }
    expect(rb.txResults.map((r) => [r.code, r.gasUsed, r.data])).toEqual(ra.txResults.map((r) => [r.code, r.gasUsed, r.data]));
    expect(rb.events).toEqual(ra.events);
    failures += ra.txResults.filter((r) => r.code !== 0).length;
    expect(a.app.checkInvariants()).toEqual([]);
  }
  // The stream did exercise failing txs, and the two states are equal key by key.
  expect(failures).toBeGreaterThan(0);
  expect(firstDifference(a.store.latest(), b.store.latest())).toBeUndefined();
});
