/**
 * One zone as the relayer sees it: CometBFT RPC through cosmjs (ABCI queries, proofs, broadcast),
 * signed headers and validator sets from `/commit` and `/validators` (converted by
 * modules/ibc/light-clients/07-tendermint), and a SigningStargateClient holding the relayer key. Keeps no state
 * beyond its connections: the account sequence is read from the chain for every tx.
 */
import { BaseError } from '../types/base-error.js';
import type { SubmitResult } from './chain-end.js';
import { DirectSecp256k1HdWallet, type EncodeObject } from '@cosmjs/proto-signing';
import { GasPrice, type SigningStargateClient, type DeliverTxResponse } from '@cosmjs/stargate';
import { SigningClient } from '../signing-client.js';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { MerkleProof } from 'cosmjs-types/ibc/core/commitment/v1/commitment';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import {
  signedHeaderFromRpc,
  validatorSetFromRpc,
  type RpcCommitResult,
  type RpcValidatorsResult,
} from '../../modules/ibc/light-clients/07-tendermint/index.js';
import { rpcCall } from '../node/cometbft.js';
import type { ResolvedZoneConfig } from './config.js';
import { ibcRegistry } from './registry.js';

interface ProtoCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

export type { SubmitResult };

export class QueryError extends BaseError {
  constructor(
    message: string,
    readonly code: number,
    readonly codespace: string,
  ) {
    super(message);
  }
}

/**
 * Gas is simulated and multiplied by this: packet costs vary with the payload (a custody packet
 * carrying a unit's history costs more than a transfer), so a fixed guess could fail forever.
 */
export const GAS_MULTIPLIER = 1.3;

export class ZoneClient {
  private constructor(
    readonly config: ResolvedZoneConfig,
    readonly comet: CometClient,
    readonly signer: SigningStargateClient,
    readonly address: string,
  ) {}

  get chainId(): string {
    return this.config.chainId;
  }

  static async connect(config: ResolvedZoneConfig): Promise<ZoneClient> {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(config.mnemonic, { prefix: config.prefix });
    const [account] = await wallet.getAccounts();
    const comet = await connectComet(config.rpc);
    const status = await comet.status();
    if (status.nodeInfo.network !== config.chainId) {
      comet.disconnect();
      throw new Error(`${config.rpc} serves chain ${status.nodeInfo.network}, not ${config.chainId}`);
    }
    const signer = SigningClient.createWithSigner(comet, wallet, {
      registry: ibcRegistry(),
      gasPrice: GasPrice.fromString(config.gasPrice),
      broadcastPollIntervalMs: 100,
      broadcastTimeoutMs: 30_000,
    });
    return new ZoneClient(config, comet, signer, account!.address);
  }

  disconnect(): void {
    this.signer.disconnect();
  }

  /** The latest committed height this node has a commit for. */
  async latestHeight(): Promise<number> {
    return (await this.comet.status()).syncInfo.latestBlockHeight;
  }

  /** A typed ABCI query; `height` 0 = latest. Throws QueryError on a non-zero code. */
  async query<Q, R>(path: string, req: ProtoCodec<Q>, res: ProtoCodec<R>, request: Q, height = 0): Promise<R> {
    const out = await this.comet.abciQuery({ path, data: req.encode(request).finish(), ...(height > 0 ? { height } : {}) });
    if ((out.code ?? 0) !== 0)
      throw new QueryError(
        `query ${path} on ${this.chainId} failed (${out.codespace}:${out.code}): ${out.log ?? ''}`,
        out.code ?? 0,
        out.codespace,
      );
    return res.decode(out.value);
  }

  /**
   * A `MerkleProof` of the ibc-store key at `height`, one ICS-23 CommitmentProof per proof op:
   * one (ics23:smt) on a Parazone zone, two (ics23:iavl, then the multistore's ics23:simple) on
   * a Cosmos SDK chain. Proves membership when the key is set there, non-membership otherwise.
   */
  async prove(key: Uint8Array, height: number): Promise<{ proof: Uint8Array; exists: boolean }> {
    const out = await this.comet.abciQuery({ path: '/store/ibc/key', data: key, height, prove: true });
    if ((out.code ?? 0) !== 0)
      throw new QueryError(
        `proof at ${this.chainId}@${height} failed (${out.codespace}:${out.code}): ${out.log ?? ''}`,
        out.code ?? 0,
        out.codespace,
      );
    const ops = out.proof?.ops ?? [];
    const expected = this.config.kind === 'ibc-go' ? ['ics23:iavl', 'ics23:simple'] : ['ics23:smt'];
    const got = ops.map((op) => op.type);
    if (got.join(',') !== expected.join(','))
      throw new Error(`proof at ${this.chainId}@${height}: expected ops ${expected.join(',')}, got ${got.join(',') || 'none'}`);
    return {
      proof: MerkleProof.encode({ proofs: ops.map((op) => CommitmentProof.decode(op.data)) }).finish(),
      exists: out.value.length > 0,
    };
  }

  /** Header `height` and the commit that signed it (the node's seen commit while it is the tip). */
  async signedHeader(height: number): Promise<SignedHeader> {
    return signedHeaderFromRpc(await rpcCall<RpcCommitResult>(this.config.rpc, 'commit', { height: String(height) }));
  }

  /** The validator set of block `height`, every page. */
  async validatorSet(height: number): Promise<ValidatorSet> {
    const pages: RpcValidatorsResult[] = [];
    for (let page = 1; ; page++) {
      const res = await rpcCall<RpcValidatorsResult>(this.config.rpc, 'validators', {
        height: String(height),
        page: String(page),
        per_page: '100',
      });
      pages.push(res);
      if (pages.reduce((n, p) => n + p.validators.length, 0) >= Number(res.total)) return validatorSetFromRpc(pages);
    }
  }

  /**
   * Signs `msgs` into one tx with the relayer key (gas simulated) and waits for it in a block. A
   * failed simulation or CheckTx refusal (a lost race, a sequence raced by another process using
   * the same key) comes back as a failed result (code -1), never a throw: a lost race is a log line.
   */
  async submit(msgs: EncodeObject[], memo = 'parazone-relayer'): Promise<SubmitResult> {
    let res: DeliverTxResponse;
    try {
      // A tx that would fail (e.g. a lost race) already fails its simulation: no fee is spent.
      res = await this.signer.signAndBroadcast(this.address, msgs, GAS_MULTIPLIER, memo);
    } catch (err) {
      return { code: -1, log: (err as Error).message, height: 0, txhash: '', gasUsed: 0n, events: [] };
    }
    return {
      code: res.code,
      log: res.rawLog ?? '',
      height: res.height,
      txhash: res.transactionHash,
      gasUsed: res.gasUsed,
      events: res.events,
    };
  }
}
