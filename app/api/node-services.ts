import { create, fromBinary, toBinary, type DescMessage, type Message, type Registry } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import { toBech32 } from '@cosmjs/encoding';
import { RpcAnswerError, rpcCall } from '../node/cometbft.js';
import { fromCometJson } from './comet-json.js';
import { ApiError, GrpcCode } from './status.js';

/** What a method returns: the encoded answer and the height it was read at, when it has one. */
export interface MethodAnswer {
  readonly response: Uint8Array;
  readonly height?: bigint;
}

export type MethodHandler = (request: Uint8Array, height: bigint | undefined) => Promise<MethodAnswer>;

export interface NodeServicesOptions {
  readonly registry: Registry;
  /** CometBFT's RPC, e.g. http://127.0.0.1:26657. */
  readonly rpcUrl: string;
  /** For validator consensus addresses: "<prefix>valcons1…". */
  readonly bech32Prefix: string;
  /** The app's name and version, for GetNodeInfo. */
  readonly appName: string;
  readonly appVersion: string;
}

/**
 * The methods of cosmos.tx.v1beta1.Service and cosmos.base.tendermint.v1beta1.Service that are not
 * module queries: answered from CometBFT's RPC, in the shapes the SDK's node answers them.
 * (Simulate is the app's own query path, served like any module query.)
 */
export function nodeServices(options: NodeServicesOptions): Map<string, MethodHandler> {
  const { registry } = options;
  const schema = (name: string): DescMessage => {
    const found = registry.getMessage(name);
    if (!found) throw new Error(`the API descriptors define no ${name}`);
    return found;
  };
  const rpc = <T>(method: string, params: Record<string, unknown>) =>
    rpcCall<T>(options.rpcUrl, method, params, 10_000).catch((err: unknown) => {
      if (err instanceof RpcAnswerError) {
        const text = err.message;
        if (/not found/i.test(text)) throw new ApiError(GrpcCode.NOT_FOUND, text);
        if (/must be less than or equal|height .* is not available|lowest height/i.test(text))
          throw new ApiError(GrpcCode.INVALID_ARGUMENT, text);
        throw new ApiError(GrpcCode.UNKNOWN, text);
      }
      throw new ApiError(GrpcCode.UNAVAILABLE, `CometBFT RPC: ${(err as Error).message}`);
    });
  const Tx = schema('cosmos.tx.v1beta1.Tx');
  const decodeTx = (base64: string): Message => fromBinary(Tx, Buffer.from(base64, 'base64'));
  const valcons = (hex: string) => toBech32(`${options.bech32Prefix}valcons`, Buffer.from(hex, 'hex'));
  const encode = (name: string, init: Record<string, unknown>): Uint8Array => toBinary(schema(name), create(schema(name), init as never));
  const request = <T>(name: string, bytes: Uint8Array) => fromBinary(schema(name), bytes) as unknown as T;

  /** A TxResponse as the SDK builds it from CometBFT's `tx` / `tx_search` result and its block's time. */
  const txResponse = async (tx: RpcTx, blockTimes: Map<string, string>) => {
    let time = blockTimes.get(tx.height);
    if (time === undefined) {
      time = (await rpc<{ header: { time: string } }>('header', { height: tx.height })).header.time;
      blockTimes.set(tx.height, time);
    }
    const r = tx.tx_result;
    return create(schema('cosmos.base.abci.v1beta1.TxResponse'), {
      height: BigInt(tx.height),
      txhash: tx.hash,
      codespace: r.codespace ?? '',
      code: r.code ?? 0,
      data: Buffer.from(r.data ?? '', 'base64')
        .toString('hex')
        .toUpperCase(),
      rawLog: r.log ?? '',
      info: r.info ?? '',
      gasWanted: BigInt(r.gas_wanted ?? '0'),
      gasUsed: BigInt(r.gas_used ?? '0'),
      tx: pack(Tx, decodeTx(tx.tx)),
      timestamp: time,
      events: (r.events ?? []).map((e) => ({
        type: e.type,
        attributes: (e.attributes ?? []).map((a) => ({ key: a.key ?? '', value: a.value ?? '', index: a.index ?? false })),
      })),
    } as never);
  };

  const block = async (height: bigint | undefined) => {
    const result = await rpc<{ block_id: unknown; block: { header: { proposer_address: string } } }>(
      'block',
      height === undefined ? {} : { height: String(height) },
    );
    const sdkBlock = fromCometJson(schema('cosmos.base.tendermint.v1beta1.Block'), result.block, registry) as Message & {
      header?: { proposerAddress: string };
    };
    if (sdkBlock.header) sdkBlock.header.proposerAddress = valcons(result.block.header.proposer_address);
    return {
      blockId: fromCometJson(schema('tendermint.types.BlockID'), result.block_id, registry),
      block: fromCometJson(schema('tendermint.types.Block'), result.block, registry),
      sdkBlock,
      txs: (result.block as { data?: { txs?: string[] } }).data?.txs ?? [],
    };
  };

  const validatorSet = async (height: bigint | undefined, pagination: { offset?: bigint; limit?: bigint } | undefined) => {
    const limit = Number(pagination?.limit || 100n);
    const page = Math.floor(Number(pagination?.offset ?? 0n) / limit) + 1;
    const result = await rpc<RpcValidators>('validators', {
      ...(height === undefined ? {} : { height: String(height) }),
      page: String(page),
      per_page: String(limit),
    });
    const ed25519 = schema('cosmos.crypto.ed25519.PubKey');
    return {
      response: encode('cosmos.base.tendermint.v1beta1.GetLatestValidatorSetResponse', {
        blockHeight: BigInt(result.block_height),
        validators: result.validators.map((v) => ({
          address: valcons(v.address),
          pubKey: pack(ed25519, create(ed25519, { key: Buffer.from(v.pub_key.value, 'base64') } as never)),
          votingPower: BigInt(v.voting_power),
          proposerPriority: BigInt(v.proposer_priority),
        })),
        pagination: { total: BigInt(result.total) },
      }),
      height: BigInt(result.block_height),
    };
  };

  const handlers: [string, MethodHandler][] = [
    [
      '/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo',
      async () => {
        const status = await rpc<{ node_info: unknown }>('status', {});
        return {
          response: encode('cosmos.base.tendermint.v1beta1.GetNodeInfoResponse', {
            defaultNodeInfo: fromCometJson(schema('tendermint.p2p.DefaultNodeInfo'), status.node_info, registry),
            applicationVersion: { name: options.appName, appName: options.appName, version: options.appVersion },
          }),
        };
      },
    ],
    [
      '/cosmos.base.tendermint.v1beta1.Service/GetSyncing',
      async () => {
        const status = await rpc<{ sync_info: { catching_up: boolean } }>('status', {});
        return { response: encode('cosmos.base.tendermint.v1beta1.GetSyncingResponse', { syncing: status.sync_info.catching_up }) };
      },
    ],
    [
      '/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock',
      async () => {
        const { blockId, block: b, sdkBlock } = await block(undefined);
        return { response: encode('cosmos.base.tendermint.v1beta1.GetLatestBlockResponse', { blockId, block: b, sdkBlock }) };
      },
    ],
    [
      '/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight',
      async (bytes) => {
        const req = request<{ height: bigint }>('cosmos.base.tendermint.v1beta1.GetBlockByHeightRequest', bytes);
        if (req.height <= 0n) throw new ApiError(GrpcCode.INVALID_ARGUMENT, `requested block height ${req.height} must be positive`);
        const { blockId, block: b, sdkBlock } = await block(req.height);
        return {
          response: encode('cosmos.base.tendermint.v1beta1.GetBlockByHeightResponse', { blockId, block: b, sdkBlock }),
          height: req.height,
        };
      },
    ],
    [
      '/cosmos.base.tendermint.v1beta1.Service/GetLatestValidatorSet',
      async (bytes) =>
        validatorSet(
          undefined,
          request<{ pagination?: { offset: bigint; limit: bigint } }>('cosmos.base.tendermint.v1beta1.GetLatestValidatorSetRequest', bytes)
            .pagination,
        ),
    ],
    [
      '/cosmos.base.tendermint.v1beta1.Service/GetValidatorSetByHeight',
      async (bytes) => {
        const req = request<{ height: bigint; pagination?: { offset: bigint; limit: bigint } }>(
          'cosmos.base.tendermint.v1beta1.GetValidatorSetByHeightRequest',
          bytes,
        );
        if (req.height <= 0n) throw new ApiError(GrpcCode.INVALID_ARGUMENT, `requested block height ${req.height} must be positive`);
        return validatorSet(req.height, req.pagination);
      },
    ],
    [
      '/cosmos.base.tendermint.v1beta1.Service/ABCIQuery',
      async (bytes) => {
        const req = request<{ data: Uint8Array; path: string; height: bigint; prove: boolean }>(
          'cosmos.base.tendermint.v1beta1.ABCIQueryRequest',
          bytes,
        );
        const result = await rpc<{ response: unknown }>('abci_query', {
          path: req.path,
          data: Buffer.from(req.data).toString('hex'),
          height: String(req.height),
          prove: req.prove,
        });
        const response = fromCometJson(schema('cosmos.base.tendermint.v1beta1.ABCIQueryResponse'), result.response, registry);
        return { response: toBinary(schema('cosmos.base.tendermint.v1beta1.ABCIQueryResponse'), response) };
      },
    ],
    [
      '/cosmos.tx.v1beta1.Service/GetTx',
      async (bytes) => {
        const { hash } = request<{ hash: string }>('cosmos.tx.v1beta1.GetTxRequest', bytes);
        if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new ApiError(GrpcCode.INVALID_ARGUMENT, `tx hash must be 64 hex digits, got "${hash}"`);
        const tx = await rpc<RpcTx>('tx', { hash: Buffer.from(hash, 'hex').toString('base64'), prove: false }).catch((err: unknown) => {
          if (err instanceof ApiError && err.grpcCode === GrpcCode.NOT_FOUND)
            throw new ApiError(GrpcCode.NOT_FOUND, `tx not found: ${hash}`);
          throw err;
        });
        return {
          response: encode('cosmos.tx.v1beta1.GetTxResponse', { tx: decodeTx(tx.tx), txResponse: await txResponse(tx, new Map()) }),
        };
      },
    ],
    [
      '/cosmos.tx.v1beta1.Service/GetTxsEvent',
      async (bytes) => {
        const req = request<{ events: string[]; query: string; page: bigint; limit: bigint; orderBy: number }>(
          'cosmos.tx.v1beta1.GetTxsEventRequest',
          bytes,
        );
        const query = req.query || req.events.join(' AND ');
        if (!query) throw new ApiError(GrpcCode.INVALID_ARGUMENT, 'query cannot be empty');
        const page = req.page > 0n ? req.page : 1n;
        const limit = req.limit > 0n ? req.limit : 100n;
        const result = await rpc<{ txs: RpcTx[]; total_count: string }>('tx_search', {
          query,
          prove: false,
          page: String(page),
          per_page: String(limit),
          order_by: req.orderBy === 2 ? 'desc' : 'asc',
        });
        const times = new Map<string, string>();
        const txResponses = [];
        for (const tx of result.txs) txResponses.push(await txResponse(tx, times));
        return {
          response: encode('cosmos.tx.v1beta1.GetTxsEventResponse', {
            txs: result.txs.map((t) => decodeTx(t.tx)),
            txResponses,
            // `pagination` stays unset (null in JSON), as the SDK leaves it since v0.47: `total` replaced it.
            total: BigInt(result.total_count),
          }),
        };
      },
    ],
    [
      '/cosmos.tx.v1beta1.Service/GetBlockWithTxs',
      async (bytes) => {
        const req = request<{ height: bigint; pagination?: { offset: bigint; limit: bigint } }>(
          'cosmos.tx.v1beta1.GetBlockWithTxsRequest',
          bytes,
        );
        if (req.height <= 0n) throw new ApiError(GrpcCode.INVALID_ARGUMENT, `requested block height ${req.height} must be positive`);
        const { blockId, block: b, txs } = await block(req.height);
        const offset = Number(req.pagination?.offset ?? 0n);
        const limit = Number(req.pagination?.limit || 100n);
        return {
          response: encode('cosmos.tx.v1beta1.GetBlockWithTxsResponse', {
            txs: txs.slice(offset, offset + limit).map(decodeTx),
            blockId,
            block: b,
            pagination: { total: BigInt(txs.length) },
          }),
          height: req.height,
        };
      },
    ],
    [
      '/cosmos.tx.v1beta1.Service/BroadcastTx',
      async (bytes) => {
        const req = request<{ txBytes: Uint8Array; mode: number }>('cosmos.tx.v1beta1.BroadcastTxRequest', bytes);
        // BroadcastMode: 1 BLOCK (removed from the SDK), 2 SYNC, 3 ASYNC.
        if (req.mode !== 2 && req.mode !== 3)
          throw new ApiError(
            GrpcCode.INVALID_ARGUMENT,
            `unsupported broadcast mode ${req.mode}: use BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC`,
          );
        if (req.txBytes.length === 0) throw new ApiError(GrpcCode.INVALID_ARGUMENT, 'invalid empty tx');
        const r = await rpc<{ code: number; data: string; log: string; codespace: string; hash: string }>(
          req.mode === 2 ? 'broadcast_tx_sync' : 'broadcast_tx_async',
          { tx: Buffer.from(req.txBytes).toString('base64') },
        );
        return {
          response: encode('cosmos.tx.v1beta1.BroadcastTxResponse', {
            txResponse: {
              txhash: r.hash,
              code: r.code,
              codespace: r.codespace ?? '',
              rawLog: r.log ?? '',
              data: Buffer.from(r.data ?? '', 'base64')
                .toString('hex')
                .toUpperCase(),
            },
          }),
        };
      },
    ],
  ];
  return new Map(handlers);
}

interface RpcTx {
  hash: string;
  height: string;
  tx: string;
  tx_result: {
    code?: number;
    data?: string;
    log?: string;
    info?: string;
    gas_wanted?: string;
    gas_used?: string;
    codespace?: string;
    events?: { type: string; attributes?: { key?: string; value?: string; index?: boolean }[] }[];
  };
}

interface RpcValidators {
  block_height: string;
  validators: { address: string; pub_key: { type: string; value: string }; voting_power: string; proposer_priority: string }[];
  total: string;
}

/** An Any as the Cosmos SDK writes it: type URL "/<full name>" (no type.googleapis.com host). */
function pack(schema: DescMessage, message: Message) {
  return create(AnySchema, { typeUrl: `/${schema.typeName}`, value: toBinary(schema, message) });
}
