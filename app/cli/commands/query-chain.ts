import { connectComet } from '@cosmjs/tendermint-rpc';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Command } from 'commander';
import type { JsonCodec } from '../../codec/proto-json.js';
import { rpcCall } from '../../node/cometbft.js';
import type { CliContext } from '../context.js';

/**
 * `query tx HASH` and `query block [HEIGHT]`, read from CometBFT (its tx index and block store)
 * rather than from module state, as the SDK CLI's commands of the same names.
 */
export function registerChainQueries(query: Command, cli: CliContext): void {
  query
    .command('tx <hash>')
    .description('a committed tx by its hash (hex): its result, events and decoded body')
    .option('--node <url>', 'CometBFT RPC endpoint (default: the one in <home>/endpoints.json)')
    .action(async (hash: string, opts: { node?: string }) => {
      if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new Error(`a tx hash is 64 hex digits, got "${hash}"`);
      const comet = await connectComet(opts.node ?? cli.defaultNode());
      try {
        const found = await comet.tx({ hash: Buffer.from(hash, 'hex') }).catch((err: Error) => {
          throw new Error(`tx ${hash.toUpperCase()} not found (${err.message})`);
        });
        cli.print({
          height: found.height,
          txhash: Buffer.from(found.hash).toString('hex').toUpperCase(),
          code: found.result.code,
          codespace: found.result.codespace ?? '',
          rawLog: found.result.log ?? '',
          gasWanted: found.result.gasWanted.toString(),
          gasUsed: found.result.gasUsed.toString(),
          tx: cli.protoJson().toJson(Tx as unknown as JsonCodec, Tx.decode(found.tx)),
          events: found.result.events.map((e) => ({ type: e.type, attributes: e.attributes.map(({ key, value }) => ({ key, value })) })),
        });
      } finally {
        comet.disconnect();
      }
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
