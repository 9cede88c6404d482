/**
 * The light client against a real three-validator CometBFT network on loopback: a validator set
 * of several entries (hash order, Merkle split), commits with several signatures and per-vote
 * timestamps, and the voting-power thresholds on real commits.
 */
import { pino } from 'pino';
import type { Header as ClientHeader } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { startAbciServer, type AbciServer } from '../../app/abci/server.js';
import { rpcCall } from '../../app/node/cometbft.js';
import { SmtSpec } from '../../app/ics23/index.js';
import {
  ErrNotEnoughVotingPower,
  TendermintLightClient,
  durationFromSeconds,
  headerHash,
  signedHeaderFromRpc,
  timestampToNanos,
  validatorSetFromRpc,
  validatorSetHash,
  type RpcCommitResult,
  type RpcValidatorsResult,
} from '../../modules/ibc/light-clients/07-tendermint/index.js';
import { GO_ZERO_TIME_SECONDS } from '../../modules/ibc/light-clients/07-tendermint/time.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestNetwork, type TestNode } from '../helpers/comet-node.js';
import { KvApp } from '../abci/kv-app.js';

const CHAIN_ID = 'lc-net-1';
const cleanup = cleanupAfterAll();
const servers: AbciServer[] = [];
cleanup.add('close ABCI servers', () => Promise.all(servers.map((s) => s.close())));

describe('light client of a real three-validator network', () => {
  let nodes: TestNode[];
  const blocks = new Map<number, { signedHeader: SignedHeader; validatorSet: ValidatorSet }>();
  let h = 0;

  const block = (height: number) => blocks.get(height)!;
  const updateMsg = (height: number, trusted: number, signedHeader = block(height).signedHeader): ClientHeader => ({
    signedHeader,
    validatorSet: block(height).validatorSet,
    trustedHeight: { revisionNumber: 1n, revisionHeight: BigInt(trusted) },
    trustedValidators: block(trusted + 1).validatorSet,
  });
  const now = () => timestampToNanos(block(h + 5).signedHeader.header!.time) + 1_000_000_000n;
  const params = {
    chainId: CHAIN_ID,
    trustingPeriod: durationFromSeconds(600),
    unbondingPeriod: durationFromSeconds(900),
    maxClockDrift: durationFromSeconds(10),
    proofSpecs: [SmtSpec],
  };

  /** The commit with the signatures at `indices` turned into absent votes. */
  function withAbsent(signed: SignedHeader, indices: number[]): SignedHeader {
    const copy = structuredClone(signed);
    for (const i of indices) {
      copy.commit!.signatures[i] = {
        blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
        validatorAddress: new Uint8Array(),
        timestamp: { seconds: GO_ZERO_TIME_SECONDS, nanos: 0 },
        signature: new Uint8Array(),
      };
    }
    return copy;
  }

  beforeAll(async () => {
    const apps = [new KvApp(), new KvApp(), new KvApp()];
    for (const app of apps) servers.push(await startAbciServer('tcp://127.0.0.1:0', { app, logger: pino({ level: 'warn' }) }));
    nodes = await startTestNetwork({ proxyApps: servers.map((s) => s.address!), chainId: CHAIN_ID }, cleanup);
    await Promise.all(nodes.map((n) => n.waitForHeight(3, 60_000)));
    h = 3;
    await nodes[0]!.waitForHeight(h + 7, 60_000);
    for (let height = h; height <= h + 6; height++) {
      const commit = await rpcCall<RpcCommitResult>(nodes[0]!.rpcUrl, 'commit', { height: String(height) });
      const vals = await rpcCall<RpcValidatorsResult>(nodes[0]!.rpcUrl, 'validators', { height: String(height), per_page: '100' });
      blocks.set(height, { signedHeader: signedHeaderFromRpc(commit), validatorSet: validatorSetFromRpc([vals]) });
    }
  });

  it('hashes a multi-validator set and verifies multi-signature commits', () => {
    for (const { signedHeader, validatorSet } of blocks.values()) {
      expect(validatorSet.validators).toHaveLength(3);
      expect(Buffer.from(validatorSetHash(validatorSet.validators))).toEqual(Buffer.from(signedHeader.header!.validatorsHash));
      expect(Buffer.from(headerHash(signedHeader.header!)!)).toEqual(Buffer.from(signedHeader.commit!.blockId.hash));
    }
    const client = TendermintLightClient.create(params, block(h), now());
    expect(client.update(updateMsg(h + 1, h), now()).kind).toBe('updated');
    expect(client.update(updateMsg(h + 5, h + 1), now()).kind).toBe('updated');
    expect(client.latestHeight.revisionHeight).toBe(BigInt(h + 5));
  });

  it('enforces > 2/3 of the new set and > 1/3 of the trusted set on real commits', () => {
    const client = TendermintLightClient.create(params, block(h), now());
    const signedCount = (s: SignedHeader) => s.commit!.signatures.filter((x) => x.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT).length;
    // With three validators of equal power, 2 of 3 is exactly 2/3: not enough.
    const real = block(h + 1).signedHeader;
    const commitIdx = real.commit!.signatures.flatMap((s, i) => (s.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? [i] : []));
    expect(signedCount(real)).toBe(3);
    expect(() => client.update(updateMsg(h + 1, h, withAbsent(real, [commitIdx[0]!])), now())).toThrow(ErrNotEnoughVotingPower.description);
    // Non-adjacent with one signature of three: the trusted 1/3 check fails first.
    const skip = block(h + 4).signedHeader;
    expect(() => client.update(updateMsg(h + 4, h, withAbsent(skip, [0, 1])), now())).toThrow('trusted validators');
    expect(client.update(updateMsg(h + 4, h), now()).kind).toBe('updated');
  });
});
