/**
 * A tiny key/value ABCI application for integration tests of the socket server under the real
 * CometBFT. Txs are UTF-8 `key=value`. The app hash is sha256 of the canonical JSON of the sorted
 * entries, so it is deterministic and replay can reproduce it. With a `stateFile` the committed
 * state survives restarts (written atomically in Commit); without one it starts from height 0 and
 * CometBFT replays every block into it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type {
  RequestCheckTx,
  RequestFinalizeBlock,
  RequestInitChain,
  RequestQuery,
  ResponseCheckTx,
  ResponseFinalizeBlock,
  ExecTxResult,
} from 'cosmjs-types/tendermint/abci/types';
import { BaseApplication } from '../../app/abci/application.js';

interface Committed {
  height: number;
  appHash: string; // hex
  entries: [string, string][];
}

function hashEntries(entries: Map<string, string>): Uint8Array {
  const sorted = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Uint8Array(createHash('sha256').update(JSON.stringify(sorted)).digest());
}

function parseTx(tx: Uint8Array): [string, string] | undefined {
  const text = Buffer.from(tx).toString('utf8');
  const eq = text.indexOf('=');
  if (eq <= 0) return undefined;
  return [text.slice(0, eq), text.slice(eq + 1)];
}

const emptyCheck = { data: new Uint8Array(), info: '', gasWanted: 1n, gasUsed: 0n, events: [], codespace: '' };

export class KvApp extends BaseApplication {
  /** Every call as `method` or `method@height`, in order. */
  readonly calls: string[] = [];
  /** App hash after each committed height (hex), for checking block headers. */
  readonly hashes = new Map<number, string>();
  chainId: string | undefined;
  appState: unknown;

  private committed: Committed;
  private entries: Map<string, string>;
  private pending: { height: number; entries: Map<string, string>; appHash: Uint8Array } | undefined;

  constructor(private readonly stateFile?: string) {
    super();
    this.committed =
      stateFile && existsSync(stateFile)
        ? (JSON.parse(readFileSync(stateFile, 'utf8')) as Committed)
        : { height: 0, appHash: '', entries: [] };
    this.entries = new Map(this.committed.entries);
  }

  get height(): number {
    return this.committed.height;
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  info() {
    this.calls.push('info');
    return {
      data: 'kv-test-app',
      version: '1.0.0',
      appVersion: 1n,
      lastBlockHeight: BigInt(this.committed.height),
      lastBlockAppHash: Buffer.from(this.committed.appHash, 'hex'),
    };
  }

  initChain(req: RequestInitChain) {
    this.calls.push('initChain');
    this.chainId = req.chainId;
    this.appState = JSON.parse(Buffer.from(req.appStateBytes).toString('utf8'));
    // Genesis entries seed the state; like the SDK we do not persist until the first Commit.
    const seed = (this.appState as { entries?: Record<string, string> }).entries ?? {};
    this.entries = new Map(Object.entries(seed));
    return { validators: [], appHash: hashEntries(this.entries) };
  }

  query(req: RequestQuery) {
    this.calls.push('query');
    const key = Buffer.from(req.data).toString('utf8');
    const value = this.entries.get(key);
    return {
      code: value === undefined ? 1 : 0,
      log: value === undefined ? `key ${key} not found` : '',
      info: '',
      index: 0n,
      key: req.data,
      value: value === undefined ? new Uint8Array() : Buffer.from(value, 'utf8'),
      height: BigInt(this.committed.height),
      codespace: value === undefined ? 'kv' : '',
    };
  }

  checkTx(req: RequestCheckTx): ResponseCheckTx {
    this.calls.push('checkTx');
    return parseTx(req.tx) ? { code: 0, log: '', ...emptyCheck } : { ...emptyCheck, code: 2, log: 'tx must be key=value', codespace: 'kv' };
  }

  finalizeBlock(req: RequestFinalizeBlock): ResponseFinalizeBlock {
    const height = Number(req.height);
    this.calls.push(`finalizeBlock@${height}`);
    const entries = new Map(this.entries);
    const txResults: ExecTxResult[] = req.txs.map((tx) => {
      const kv = parseTx(tx);
      if (!kv) return { ...emptyCheck, code: 2, log: 'tx must be key=value', codespace: 'kv' };
      entries.set(kv[0], kv[1]);
      return {
        ...emptyCheck,
        code: 0,
        log: '',
        events: [{ type: 'kv', attributes: [{ key: 'key', value: kv[0], index: true }] }],
      };
    });
    const appHash = hashEntries(entries);
    this.pending = { height, entries, appHash };
    return { events: [], txResults, validatorUpdates: [], appHash };
  }

  commit() {
    const pending = this.pending;
    if (!pending) throw new Error('commit without finalizeBlock');
    this.calls.push(`commit@${pending.height}`);
    this.entries = pending.entries;
    this.committed = {
      height: pending.height,
      appHash: Buffer.from(pending.appHash).toString('hex'),
      entries: [...pending.entries.entries()],
    };
    this.hashes.set(pending.height, this.committed.appHash);
    this.pending = undefined;
    if (this.stateFile) {
      writeFileSync(`${this.stateFile}.tmp`, JSON.stringify(this.committed));
      renameSync(`${this.stateFile}.tmp`, this.stateFile);
    }
    return { retainHeight: 0n };
  }
}
