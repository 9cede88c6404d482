import {
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
  RequestPrepareProposal,
} from 'cosmjs-types/tendermint/abci/types';
import { BaseApplication, EMPTY_APP_HASH, truncateTxs, withAbciDefaults } from './application.js';

class Minimal extends BaseApplication {
  info() {
    return { data: '', version: '', appVersion: 0n, lastBlockHeight: 0n, lastBlockAppHash: new Uint8Array() };
  }
  initChain() {
    return { validators: [], appHash: EMPTY_APP_HASH };
  }
  query() {
    return { code: 0, log: '', info: '', index: 0n, key: new Uint8Array(), value: new Uint8Array(), height: 1n, codespace: '' };
  }
  checkTx() {
    return { code: 0, data: new Uint8Array(), log: '', info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: '' };
  }
  finalizeBlock() {
    return { events: [], txResults: [], validatorUpdates: [], appHash: EMPTY_APP_HASH };
  }
  commit() {
    return { retainHeight: 0n };
  }
}

const tx = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('truncateTxs', () => {
  it('keeps the longest prefix that fits, in order', () => {
    const txs = [tx(10, 1), tx(10, 2), tx(10, 3)];
    expect(truncateTxs(txs, 30n)).toEqual(txs);
    expect(truncateTxs(txs, 29n)).toEqual(txs.slice(0, 2));
    expect(truncateTxs(txs, 9n)).toEqual([]);
  });

  it('stops at the first tx that does not fit (no reordering to pack more)', () => {
    expect(truncateTxs([tx(5, 1), tx(50, 2), tx(5, 3)], 20n)).toEqual([tx(5, 1)]);
  });
});

describe('BaseApplication defaults', () => {
  const app = new Minimal();

  it('proposes the request txs (truncated), never an empty list by accident', () => {
    const req = RequestPrepareProposal.fromPartial({ maxTxBytes: 15n, txs: [tx(10, 1), tx(10, 2)] });
    expect(app.prepareProposal(req)).toEqual({ txs: [tx(10, 1)] });
    const all = RequestPrepareProposal.fromPartial({ maxTxBytes: 1_000_000n, txs: [tx(10, 1), tx(10, 2)] });
    expect(app.prepareProposal(all)).toEqual({ txs: [tx(10, 1), tx(10, 2)] });
  });

  it('accepts proposals and vote extensions (UNKNOWN would make CometBFT panic)', () => {
    expect(app.processProposal({} as never)).toEqual({ status: ResponseProcessProposal_ProposalStatus.ACCEPT });
    expect(app.verifyVoteExtension({} as never)).toEqual({ status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT });
    expect(app.extendVote({} as never)).toEqual({ voteExtension: new Uint8Array() });
  });

  it('takes part in no state sync', () => {
    expect(app.listSnapshots({})).toEqual({ snapshots: [] });
    expect(app.offerSnapshot({} as never)).toEqual({ result: ResponseOfferSnapshot_Result.ABORT });
    expect(app.loadSnapshotChunk({} as never)).toEqual({ chunk: new Uint8Array() });
    expect(app.applySnapshotChunk({} as never)).toEqual({
      result: ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT,
      refetchChunks: [],
      rejectSenders: [],
    });
  });

  it('EMPTY_APP_HASH is sha256 of nothing (non-empty, as cosmjs requires)', () => {
    expect(Buffer.from(EMPTY_APP_HASH).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('withAbciDefaults', () => {
  it('calls the core methods on the app itself and fills the optional ones with defaults', () => {
    const core = new Minimal();
    const custom = {
      height: 9n,
      info() {
        return { ...core.info(), lastBlockHeight: this.height }; // `this` must be the app
      },
      initChain: () => core.initChain(),
      query: () => core.query(),
      checkTx: () => core.checkTx(),
      finalizeBlock: () => core.finalizeBlock(),
      commit: () => core.commit(),
      processProposal: () => ({ status: ResponseProcessProposal_ProposalStatus.REJECT }),
    };
    const app = withAbciDefaults(custom);
    expect((app.info({} as never) as { lastBlockHeight: bigint }).lastBlockHeight).toBe(9n);
    expect(app.processProposal({} as never)).toEqual({ status: ResponseProcessProposal_ProposalStatus.REJECT });
    expect(app.verifyVoteExtension({} as never)).toEqual({ status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT });
    const req = RequestPrepareProposal.fromPartial({ maxTxBytes: 100n, txs: [tx(3, 1)] });
    expect(app.prepareProposal(req)).toEqual({ txs: [tx(3, 1)] });
    expect(app.listSnapshots({})).toEqual({ snapshots: [] });
  });
});
