/**
 * An in-process Parazone zone for IBC tests: a BaseApp over its own CommitStore (temp dir) with
 * the stock modules plus ibc, driven by a fake "consensus" that builds real CometBFT headers and
 * commits signed by a test ed25519 validator, whose app_hash is the one FinalizeBlock returned.
 *
 * Zones run the stock chain composition (app/app.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { BlockID } from 'cosmjs-types/tendermint/types/types';
import { composeChain } from '../../../app/app.js';
import { BaseApp } from '../../../app/baseapp/baseapp.js';
import { TestValidatorKey, makeHeader, resign, validatorSetOf } from '../../../modules/ibc/light-clients/07-tendermint/test-signer.js';
import { addGenesisAccount } from '../../../app/node/genesis.js';
import { CacheKV } from '../../../app/store/cache-kv.js';
import { CommitStore } from '../../../app/store/commit-store.js';
import { InfiniteGasMeter } from '../../../app/store/gas.js';
import { makeChainConfig, type ChainConfig } from '../../../app/types/chain-config.js';
import { Context } from '../../../app/types/context.js';
import { EventManager } from '../../../app/types/events.js';
import type { ProtoType } from '../../../app/types/module.js';
import type { DrugRegistryKeeper } from '../../../modules/drugregistry/index.js';
import type { IbcKeeper } from '../../../modules/ibc/index.js';
import type { TokensKeeper } from '../../../modules/tokens/index.js';
import { makeAccounts, signedTx, type BenchAccount } from '../../../scripts/lib/signed-transfers.js';
import { MsgSubmitProposal, MsgSubmitProposalResponse, MsgVote } from '../../../generated/parazone/governance/v1/tx.js';
import { VoteOption } from '../../../generated/parazone/governance/v1/gov.js';

export const DENOM = 'upara';
/** Every test tx pays this for GAS_LIMIT gas (the default minimum gas price is 0.025upara). */
export const FEE = 250_000n;
export const GAS_LIMIT = 10_000_000n;

/** The stock chain plus the ibc module, wired as app/app.ts should wire it. */
/** The stock chain (app/app.ts, which includes the ibc module), with the keepers zones use. */
export function composeIbcChain(config: ChainConfig = makeChainConfig()) {
  const chain = composeChain({ config });
  const { auth, tokens, drugregistry: drugs, ibc } = chain.keepers;
  return { ...chain, keepers: { auth, tokens, drugs, ibc } };
}

/** One clock for every zone: each block anywhere advances it, so no header is from another zone's future. */
export class Clock {
  constructor(public seconds: bigint = 1_800_000_000n) {}
  tick(by = 1n): bigint {
    this.seconds += by;
    return this.seconds;
  }
  advance(by: bigint): void {
    this.seconds += by;
  }
}

export interface ZoneOptions {
  readonly chainId: string;
  readonly clock: Clock;
  /** Funded accounts (index = account number); account 0 is the relayer. */
  readonly accounts?: number;
  /** Extra drugregistry genesis participants. */
  readonly participants?: { address: string; roles: string[]; companyPrefixes?: string[] }[];
}

export class Zone {
  readonly chainId: string;
  readonly app: BaseApp;
  readonly store: CommitStore;
  readonly accounts: BenchAccount[];
  readonly validator: TestValidatorKey;
  readonly validators: Validator[];
  readonly keepers: ReturnType<typeof composeIbcChain>['keepers'];
  readonly config: ChainConfig;
  height = 0;
  private lastAppHash: Uint8Array;
  private lastBlockId: BlockID | undefined;
  private readonly signedHeaders = new Map<number, SignedHeader>();
  private readonly dir: string;
  /** What a second node of this zone needs to replay it: genesis and every block. */
  private readonly genesis: { appStateBytes: Uint8Array; seconds: bigint };
  private readonly blocks: { txs: Uint8Array[]; seconds: bigint; appHash: Uint8Array }[] = [];

  constructor(
    private readonly clock: Clock,
    o: ZoneOptions,
    seed: number,
  ) {
    this.chainId = o.chainId;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `parazone-ibc-${o.chainId}-`));
    this.store = CommitStore.open(this.dir, { noSync: true });
    const chain = composeIbcChain();
    this.config = chain.config;
    this.keepers = chain.keepers;
    this.app = new BaseApp({ ...chain, store: this.store });
    this.validator = new TestValidatorKey(new Uint8Array(32).fill(seed));
    this.validators = [this.validator.validator(10n)];
    // The same test keys on every zone (addresses are per zone anyway).
    this.accounts = makeAccounts(o.accounts ?? 6, chain.config.addresses);
    let appState: Record<string, unknown> = {};
    for (const a of this.accounts) appState = addGenesisAccount(appState, a.address, [{ denom: DENOM, amount: '1000000000' }]);
    appState.drugregistry = {
      participants: (o.participants ?? []).map((p) => ({
        address: p.address,
        roles: p.roles,
        name: p.address.slice(0, 12),
        companyPrefixes: p.companyPrefixes ?? [],
        status: 'ACTIVE',
        registeredBy: chain.config.addresses.moduleAddress('governance'),
        registeredAt: '2026-01-01T00:00:00.000Z',
      })),
    };
    this.genesis = { appStateBytes: Buffer.from(JSON.stringify(appState)), seconds: clock.seconds };
    const init = this.app.initChain({
      time: { seconds: clock.seconds, nanos: 0 },
      chainId: o.chainId,
      validators: [],
      appStateBytes: this.genesis.appStateBytes,
      initialHeight: 1n,
    });
    this.lastAppHash = init.appHash;
  }

  get validatorSet(): ValidatorSet {
    return validatorSetOf(this.validators);
  }

  /** Finalizes and commits a block of `txs` at the next clock tick, and signs its header. */
  block(txs: Uint8Array[] = []): ExecTxResult[] {
    const height = ++this.height;
    const seconds = this.clock.tick();
    const res = this.app.finalizeBlock({
      txs,
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: BigInt(height),
      time: { seconds, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: this.validator.address,
    });
    this.app.commit();
    this.blocks.push({ txs, seconds, appHash: res.appHash });
    // Header h carries the app hash of the state after h-1 (InitChain's for h = 1).
    const header = makeHeader({
      chainId: this.chainId,
      height: BigInt(height),
      time: { seconds, nanos: 0 },
      validators: this.validators,
      nextValidators: this.validators,
      appHash: this.lastAppHash,
      lastBlockId: this.lastBlockId,
    });
    const signed = resign(header, this.validators, [this.validator]);
    this.signedHeaders.set(height, signed);
    this.lastBlockId = signed.commit!.blockId;
    this.lastAppHash = res.appHash;
    return res.txResults;
  }

  signedHeader(height = this.height): SignedHeader {
    const h = this.signedHeaders.get(height);
    if (!h) throw new Error(`${this.chainId} has no header ${height}`);
    return h;
  }

  /** Signs `msgs` by `from` into one tx and puts it alone in a new block. */
  deliver(from: BenchAccount, msgs: { typeUrl: string; value: Uint8Array }[]): ExecTxResult {
    const tx = signedTx(from, msgs, { chainId: this.chainId, denom: DENOM, feeAmount: FEE.toString(), gasLimit: GAS_LIMIT });
    return this.block([tx])[0]!;
  }

  /**
   * Passes `msgs` through governance: accounts 1–4 submit and vote yes (voting power = balance),
   * the clock jumps past the voting period and the next block executes the proposal.
   */
  governance(msgs: { typeUrl: string; value: Uint8Array }[]): void {
    const proposer = this.accounts[1]!;
    const submit = MsgSubmitProposal.fromPartial({
      messages: msgs.map((m) => ({ typeUrl: m.typeUrl, value: Buffer.from(m.value) })),
      initialDeposit: [{ denom: DENOM, amount: '10000000' }],
      proposer: proposer.address,
      title: 'ibc',
      summary: 'test proposal',
    });
    const res = this.deliver(proposer, [
      { typeUrl: '/parazone.governance.v1.MsgSubmitProposal', value: MsgSubmitProposal.encode(submit).finish() },
    ]);
    if (res.code !== 0) throw new Error(`proposal failed: ${res.log}`);
    const proposalId = MsgSubmitProposalResponse.decode(msgResponses(res)[0]!.value).proposalId;
    for (const voter of this.accounts.slice(1, 5)) {
      const vote = MsgVote.fromPartial({ proposalId, voter: voter.address, option: VoteOption.VOTE_OPTION_YES });
      const v = this.deliver(voter, [{ typeUrl: '/parazone.governance.v1.MsgVote', value: MsgVote.encode(vote).finish() }]);
      if (v.code !== 0) throw new Error(`vote failed: ${v.log}`);
    }
    this.clock.advance(5n * 24n * 3600n + 1n);
    this.block();
  }

  /** A context over the latest committed state, for direct keeper reads in assertions. */
  ctx(): Context {
    return new Context(
      { chainId: this.chainId, height: this.height, time: new Date(Number(this.clock.seconds) * 1000) },
      'query',
      new CacheKV(this.store.latest()),
      new InfiniteGasMeter(),
      new EventManager(),
    );
  }

  balance(address: string, denom: string): bigint {
    return this.keepers.tokens.getBalance(this.ctx(), address, denom);
  }

  get ibc(): IbcKeeper {
    return this.keepers.ibc;
  }

  get drugs(): DrugRegistryKeeper {
    return this.keepers.drugs;
  }

  get tokens(): TokensKeeper {
    return this.keepers.tokens;
  }

  /** An ABCI query at `height` (0 = latest), decoded; throws on a non-zero code. */
  query<Q, R>(path: string, req: ProtoType<Q>, res: ProtoType<R>, request: Q, height = 0): R {
    const out = this.app.query({ path, data: req.encode(request).finish(), height: BigInt(height), prove: false });
    if (out.code !== 0) throw new Error(`query ${path} failed: ${out.log}`);
    return res.decode(out.value);
  }

  /**
   * A second node of this zone (fresh app and store) replaying genesis and every block; returns
   * the heights whose app hash differs from this node's (empty when the state machine is deterministic).
   */
  async replayDivergences(): Promise<number[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parazone-ibc-replica-`));
    const store = CommitStore.open(dir, { noSync: true });
    const app = new BaseApp({ ...composeIbcChain(), store });
    app.initChain({
      time: { seconds: this.genesis.seconds, nanos: 0 },
      chainId: this.chainId,
      validators: [],
      appStateBytes: this.genesis.appStateBytes,
      initialHeight: 1n,
    });
    const diverged: number[] = [];
    this.blocks.forEach((b, i) => {
      const res = app.finalizeBlock({
        txs: b.txs,
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: BigInt(i + 1),
        time: { seconds: b.seconds, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: this.validator.address,
      });
      app.commit();
      if (Buffer.compare(res.appHash, b.appHash) !== 0) diverged.push(i + 1);
    });
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    return diverged;
  }

  /** A fresh node started from this zone's exported genesis at the next height; returns its genesis app hash. */
  async importExport(): Promise<{ exported: Uint8Array; imported: Uint8Array }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parazone-ibc-export-`));
    const store = CommitStore.open(dir, { noSync: true });
    const app = new BaseApp({ ...composeIbcChain(), store });
    const init = app.initChain({
      time: { seconds: this.clock.seconds, nanos: 0 },
      chainId: this.chainId,
      validators: [],
      appStateBytes: Buffer.from(JSON.stringify(this.app.exportGenesis())),
      initialHeight: BigInt(this.height + 1),
    });
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    return { exported: this.store.lastCommit().appHash, imported: init.appHash };
  }

  async close(): Promise<void> {
    await this.store.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The Msg responses in a tx result's data (TxMsgData). */
export function msgResponses(result: ExecTxResult) {
  return TxMsgData.decode(result.data).msgResponses;
}
