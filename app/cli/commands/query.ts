import { QueryClient } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import type { Command } from 'commander';
import type { JsonCodec } from '../../codec/proto-json.js';
import type { QueryHandler } from '../../types/module.js';
import type { CliContext } from '../context.js';
import { registerChainQueries } from './query-chain.js';
import { GROUP_ALIASES, groupOfTypeUrl, queryCommandName } from '../naming.js';

interface QueryOpts {
  node?: string;
  height?: string;
}

/**
 * `parazone query <group> <method> [json]`: one command per query path of every module, the
 * request given as proto3 JSON and the response printed as JSON. Plus the familiar shortcuts
 * `query bank balances <address>` and `query auth account <address>`.
 */
export function registerQuery(program: Command, cli: CliContext): void {
  const query = program.command('query').alias('q').description('query chain state over ABCI');
  registerChainQueries(query, cli);
  const groups = new Map<string, Command>();
  const common = (cmd: Command) =>
    cmd.option('--node <url>', 'CometBFT RPC endpoint (default: the one in <home>/endpoints.json)').option('--height <h>', 'query at a past height');

  const group = (name: string) => {
    let cmd = groups.get(name);
    if (!cmd) {
      cmd = query.command(name).description(`${name} queries`);
      if (GROUP_ALIASES[name]) cmd.alias(GROUP_ALIASES[name]!);
      groups.set(name, cmd);
    }
    return cmd;
  };

  for (const module of cli.modules()) {
    for (const handler of module.queries ?? []) {
      const name = queryCommandName(handler.path);
      const groupCmd = group(groupOfTypeUrl(handler.path));
      if (groupCmd.commands.some((c) => c.name() === name)) continue;
      common(groupCmd.command(`${name} [json]`).description(`query ${handler.path}; request as proto3 JSON`)).action(
        async (json: string | undefined, opts: QueryOpts) => {
          cli.print(await runQuery(cli, handler, json ? JSON.parse(json) : {}, opts.node ?? cli.defaultNode(), opts.height));
        },
      );
    }
  }

  const balance = findQuery(cli, '/cosmos.bank.v1beta1.Query/AllBalances');
  if (balance) {
    common(group('bank').command('balances <address>').description('all balances of an address')).action(
      async (address: string, opts: QueryOpts) => cli.print(await runQuery(cli, balance, { address }, opts.node ?? cli.defaultNode(), opts.height)),
    );
  }
  const account = findQuery(cli, '/cosmos.auth.v1beta1.Query/Account');
  if (account) {
    common(group('auth').command('account-of <address>').description('the account of an address')).action(
      async (address: string, opts: QueryOpts) => cli.print(await runQuery(cli, account, { address }, opts.node ?? cli.defaultNode(), opts.height)),
    );
  }
}

function findQuery(cli: CliContext, path: string): QueryHandler | undefined {
  for (const module of cli.modules()) for (const q of module.queries ?? []) if (q.path === path) return q;
  return undefined;
}

/** Runs one ABCI query; request and response are proto3 JSON (Anys with "@type"). */
export async function runQuery(cli: CliContext, handler: QueryHandler, request: unknown, node: string, atHeight?: string): Promise<unknown> {
  const comet = await connectComet(node);
  try {
    const client = new QueryClient(comet);
    const req = cli.protoJson().fromJson(handler.requestType as unknown as JsonCodec, request);
    const data = handler.requestType.encode(req).finish();
    const height = atHeight ? Number(atHeight) : undefined;
    const response = await client.queryAbci(handler.path, data, height);
    return cli.protoJson().toJson(handler.responseType as unknown as JsonCodec, handler.responseType.decode(response.value));
  } finally {
    comet.disconnect();
  }
}
