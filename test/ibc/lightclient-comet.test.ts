/**
 * Our light client against a REAL CometBFT v0.38 node (.tools/bin/cometbft, loopback, temp home):
 * headers, commits and validator sets are fetched over RPC, converted to protobuf and verified.
 * This is what proves our header hash, validator-set hash and vote sign bytes are byte-for-byte
 * CometBFT's. Forged headers are signed with the node's own validator key (the test owns it).
 * Time is a controllable clock derived from the chain's block times, never the wall clock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Header as ClientHeader } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { startAbciServer, type AbciServer } from '../../app/abci/server.js';
import { assertPinnedCometbft, broadcastTxSync, locateCometbft, rpcCall } from '../../app/node/cometbft.js';
import { SmtSpec } from '../../app/ics23/index.js';
import {
  ErrClientExpired,
  ErrInvalidChainID,
  ErrInvalidCommit,
  ErrInvalidHeader,
  ErrTrustingPeriodExpired,
  TendermintLightClient,
  durationFromSeconds,
  headerHash,
  signedHeaderFromRpc,
  timestampToNanos,
  validatorSetFromRpc,
  validatorSetHash,
  type ClientParams,
  type RpcCommitResult,
  type RpcValidatorsResult,
} from '../../modules/ibc/light-clients/07-tendermint/index.js';
import { TestValidatorKey, resign } from '../../modules/ibc/light-clients/07-tendermint/test-signer.js';
import type { ErrorDef } from '../../app/types/errors.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { TestNode } from '../helpers/comet-node.js';
import { KvApp } from '../abci/kv-app.js';

const CHAIN_ID = 'lc-zone-1';
const cleanup = cleanupAfterAll();
const servers: AbciServer[] = [];
// Registered first so it runs last (LIFO): CometBFT stops before its app goes away.
cleanup.add('close ABCI servers', () => Promise.all(servers.map((s) => s.close())));

const params: ClientParams = {
  chainId: CHAIN_ID,
  trustingPeriod: durationFromSeconds(600),
  unbondingPeriod: durationFromSeconds(900),
  maxClockDrift: durationFromSeconds(10),
  proofSpecs: [SmtSpec],
};

function expectError(def: ErrorDef, fn: () => unknown, text?: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  if (!def.is(caught)) throw new Error(`expected ${def.codespace}:${def.code} (${def.description}), got ${String(caught)}`);
  if (text !== undefined) expect((caught as Error).message).toContain(text);
}

describe('light client of a real CometBFT chain', () => {
  let node: TestNode;
  let validatorKey: TestValidatorKey;
  const blocks = new Map<number, { signedHeader: SignedHeader; validatorSet: ValidatorSet }>();
  let h = 0;

  async function fetchBlock(height: number): Promise<{ signedHeader: SignedHeader; validatorSet: ValidatorSet }> {
    const commit = await rpcCall<RpcCommitResult>(node.rpcUrl, 'commit', { height: String(height) });
    expect(commit.canonical).toBe(true);
    const vals = await rpcCall<RpcValidatorsResult>(node.rpcUrl, 'validators', { height: String(height), per_page: '100' });
    return { signedHeader: signedHeaderFromRpc(commit), validatorSet: validatorSetFromRpc([vals]) };
  }

  const block = (height: number) => {
    const b = blocks.get(height);
    if (b === undefined) throw new Error(`block ${height} not fetched`);
    return b;
  };

  /** MsgUpdateClient for block `height`, trusting the client's state at `trusted`. */
  const updateMsg = (height: number, trusted: number, signedHeader = block(height).signedHeader): ClientHeader => ({
    signedHeader,
    validatorSet: block(height).validatorSet,
    trustedHeight: { revisionNumber: 1n, revisionHeight: BigInt(trusted) },
    // The trusted state's next validators are the validators of block trusted+1.
    trustedValidators: block(trusted + 1).validatorSet,
  });

  /** A clock reading `seconds` after block `height`'s time. */
  const after = (height: number, seconds: number) =>
    timestampToNanos(block(height).signedHeader.header!.time) + BigInt(seconds) * 1_000_000_000n;

  beforeAll(async () => {
    locateCometbft();
    await assertPinnedCometbft();
    const server = await startAbciServer('tcp://127.0.0.1:0', { app: new KvApp(), logger: pino({ level: 'warn' }) });
    servers.push(server);
    node = await TestNode.start({ proxyApp: server.address!, chainId: CHAIN_ID }, cleanup);
    validatorKey = TestValidatorKey.fromPrivValidatorKey(
      JSON.parse(readFileSync(join(node.home, 'config', 'priv_validator_key.json'), 'utf8')),
    );
    await node.waitForHeight(3);
    // Writes, so app hashes move from block to block.
    for (let i = 0; i < 3; i++) {
      const res = await broadcastTxSync(node.rpcUrl, new TextEncoder().encode(`k${i}=v${i}`));
      expect(res.code).toBe(0);
      await node.waitForHeight(4 + i);
    }
    const status = await rpcCall<{ sync_info: { latest_block_height: string } }>(node.rpcUrl, 'status');
    h = Number(status.sync_info.latest_block_height) + 1;
    // Blocks h .. h+7, each with a commit (the commit for H is final once H+1 exists).
    await node.waitForHeight(h + 8);
    for (let height = h; height <= h + 7; height++) blocks.set(height, await fetchBlock(height));
  });

  it('computes the same header hash and validator-set hash as CometBFT', () => {
    for (const { signedHeader, validatorSet } of blocks.values()) {
      const header = signedHeader.header!;
      expect(Buffer.from(headerHash(header)!).toString('hex')).toBe(Buffer.from(signedHeader.commit!.blockId.hash).toString('hex'));
      expect(Buffer.from(validatorSetHash(validatorSet.validators))).toEqual(Buffer.from(header.validatorsHash));
      expect(header.chainId).toBe(CHAIN_ID);
    }
    expect(Buffer.from(validatorKey.address)).toEqual(Buffer.from(block(h).validatorSet.validators[0]!.address));
  });

  it('creates at h, updates adjacently to h+1 and non-adjacently to h+5', () => {
    const client = TendermintLightClient.create(params, block(h), after(h + 7, 1));
    expect(client.latestHeight.revisionHeight).toBe(BigInt(h));
    expect(client.latestHeight.revisionNumber).toBe(1n);
    expect(client.update(updateMsg(h + 1, h), after(h + 7, 1)).kind).toBe('updated');
    expect(client.update(updateMsg(h + 5, h), after(h + 7, 1)).kind).toBe('updated');
    expect(client.latestHeight.revisionHeight).toBe(BigInt(h + 5));
    const cs = client.consensusState({ revisionNumber: 1n, revisionHeight: BigInt(h + 5) })!;
    // The stored root is block h+5's app hash, i.e. the state after block h+4.
    expect(Buffer.from(cs.root.hash)).toEqual(Buffer.from(block(h + 5).signedHeader.header!.appHash));
    expect(client.status(after(h + 7, 1))).toBe('Active');
  });

  it('rejects a changed app hash, a forged signature and a commit signed for another chain id', () => {
    const client = TendermintLightClient.create(params, block(h), after(h + 7, 1));
    const real = block(h + 1).signedHeader;

    const changedApp: SignedHeader = { ...real, header: { ...real.header!, appHash: new Uint8Array(32).fill(7) } };
    expectError(ErrInvalidHeader, () => client.update(updateMsg(h + 1, h, changedApp), after(h + 7, 1)), 'commit signs block');

    const forgedSig = structuredClone(real);
    forgedSig.commit!.signatures[0]!.signature[0]! ^= 0x01;
    expectError(ErrInvalidCommit, () => client.update(updateMsg(h + 1, h, forgedSig), after(h + 7, 1)), 'wrong signature');

    // The real header, re-signed with the real validator key, but over another chain's sign bytes.
    const otherChain = resign(real.header!, block(h + 1).validatorSet.validators, [validatorKey], 'other-zone-1');
    expectError(ErrInvalidCommit, () => client.update(updateMsg(h + 1, h, otherChain), after(h + 7, 1)), 'wrong signature');

    // A header claiming another chain id, validly signed for it.
    const foreign = resign({ ...real.header!, chainId: 'other-zone-1' }, block(h + 1).validatorSet.validators, [validatorKey]);
    expectError(ErrInvalidChainID, () => client.update(updateMsg(h + 1, h, foreign), after(h + 7, 1)));

    // None of that moved the client.
    expect(client.latestHeight.revisionHeight).toBe(BigInt(h));
    expect(client.update(updateMsg(h + 1, h), after(h + 7, 1)).kind).toBe('updated');
  });

  it('rejects updates once the trusting period has passed (controllable clock)', () => {
    const client = TendermintLightClient.create(params, block(h), after(h + 7, 1));
    const expiry = after(h, 600); // trusted time + trusting period
    expectError(ErrClientExpired, () => client.update(updateMsg(h + 1, h), expiry));
    expect(client.status(expiry)).toBe('Expired');
    // Just before, it still works; afterwards the stale trusted state is refused by the rules too.
    const fresh = TendermintLightClient.create(params, block(h), after(h + 7, 1));
    expect(fresh.update(updateMsg(h + 2, h), after(h, 599)).kind).toBe('updated');
    expectError(ErrTrustingPeriodExpired, () => fresh.update(updateMsg(h + 3, h), after(h, 600)));
  });

  it('two conflicting headers at one height (the second forged with the validator key) freeze the client', () => {
    const client = TendermintLightClient.create(params, block(h), after(h + 7, 1));
    expect(client.update(updateMsg(h + 1, h), after(h + 7, 1)).kind).toBe('updated');
    // A second block h+1 with another app hash, really signed by the chain's only validator.
    const real = block(h + 1).signedHeader.header!;
    const fork = resign({ ...real, appHash: new Uint8Array(32).fill(0xab) }, block(h + 1).validatorSet.validators, [validatorKey]);
    expect(client.update(updateMsg(h + 1, h, fork), after(h + 7, 1)).kind).toBe('frozen');
    expect(client.frozen).toBe(true);
    expect(client.status(after(h + 7, 1))).toBe('Frozen');

    // The same evidence as MsgSubmitMisbehaviour on a fresh client.
    const other = TendermintLightClient.create(params, block(h), after(h + 7, 1));
    const fork3 = resign(
      { ...block(h + 3).signedHeader.header!, appHash: new Uint8Array(32).fill(0xcd) },
      block(h + 3).validatorSet.validators,
      [validatorKey],
    );
    other.submitMisbehaviour({ clientId: '', header1: updateMsg(h + 3, h), header2: updateMsg(h + 3, h, fork3) }, after(h + 7, 1));
    expect(other.frozen).toBe(true);
  });
});
