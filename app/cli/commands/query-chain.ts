import type { Command } from 'commander';
import type { JsonCodec } from '../../codec/proto-json.js';
import { rpcCall } from '../../node/cometbft.js';
import type { CliContext } from '../context.js';

/** What CometBFT's `tx` RPC answers (v0.38: event attributes are plain strings). */
interface TxRpcResult {
  hash: string;
  height: string;
  tx: string;
  tx_result: {
    code?: number;
    codespace?: string;
    log?: string;
    gas_wanted?: string;
    gas_used?: string;
    events?: { type: string; attributes?: { key: string; value: string }[] }[];
  };
}

/**
 * `query tx HASH` and `query block [HEIGHT]`, read from CometBFT (its tx index and block store)
 * rather than from module state, as the SDK CLI's commands of the same names. Plain JSON-RPC
 * calls, like the module queries: no cosmjs.
 */
export function registerChainQueries(query: Command, cli: CliContext): void {
  query
    .command('tx <hash>')
    .description('a committed tx by its hash (hex): its result, events and decoded body')
    .option('--node <url>', 'CometBFT RPC endpoint (default: the one in <home>/endpoints.json)')
    .action(async (hash: string, opts: { node?: string }) => {
      if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new Error(`a tx hash is 64 hex digits, got "${hash}"`);
      // JSON-RPC over POST takes bytes as base64.
      const found = await rpcCall<TxRpcResult>(
        opts.node ?? cli.defaultNode(),
        'tx',
        { hash: Buffer.from(hash, 'hex').toString('base64'), prove: false },
        30_000,
      ).catch((err: Error) => {
        throw new Error(`tx ${hash.toUpperCase()} not found (${err.message})`);
      });
      const { Tx } = await import('cosmjs-types/cosmos/tx/v1beta1/tx');
      const result = found.tx_result;
      cli.print({
        height: Number(found.height),
        txhash: found.hash.toUpperCase(),
        code: result.code ?? 0,
        codespace: result.codespace ?? '',
        rawLog: result.log ?? '',
        gasWanted: result.gas_wanted ?? '0',
        gasUsed: result.gas_used ?? '0',
        tx: await cli.toProtoJson(Tx as unknown as JsonCodec, Tx.decode(Buffer.from(found.tx, 'base64'))),
        events: (result.events ?? []).map((e) => ({
          type: e.type,
          attributes: (e.attributes ?? []).map(({ key, value }) => ({ key, value })),
        })),
      });
    });

  query
    .command('block [height]')
    .description("a block as CometBFT's RPC gives it (the latest without a height)")
    .option('--node <url>', 'CometBFT RPC endpoint (default: the one in <home>/endpoints.json)')
    .action(async (height: string | undefined, opts: { node?: string }) => {
      if (height !== undefined && !/^[1-9][0-9]*$/.test(height)) throw new Error(`a height is a positive integer, got "${height}"`);
      cli.print(await rpcCall(opts.node ?? cli.defaultNode(), 'block', height ? { height } : {}));
    });
}
