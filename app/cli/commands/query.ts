import type { Command } from 'commander';
import type { JsonCodec } from '../../codec/proto-json.js';
import { rpcCall } from '../../node/cometbft.js';
import type { QueryEntry } from '../catalog.js';
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
    cmd
      .option('--node <url>', 'CometBFT RPC endpoint (default: the one in <home>/endpoints.json)')
      .option('--height <h>', 'query at a past height');

  const group = (name: string) => {
    let cmd = groups.get(name);
    if (!cmd) {
      cmd = query.command(name).description(`${name} queries`);
      if (GROUP_ALIASES[name]) cmd.alias(GROUP_ALIASES[name]!);
      groups.set(name, cmd);
    }
    return cmd;
  };

  for (const handler of cli.catalog().queries) {
    const name = queryCommandName(handler.path);
    const groupCmd = group(groupOfTypeUrl(handler.path));
    if (groupCmd.commands.some((c) => c.name() === name)) continue;
    common(groupCmd.command(`${name} [json]`).description(`query ${handler.path}; request as proto3 JSON`)).action(
      async (json: string | undefined, opts: QueryOpts) => {
        cli.print(await runQuery(cli, handler, json ? JSON.parse(json) : {}, opts.node ?? cli.defaultNode(), opts.height));
      },
    );
  }

  const balance = findQuery(cli, '/cosmos.bank.v1beta1.Query/AllBalances');
  if (balance) {
    common(group('bank').command('balances <address>').description('all balances of an address')).action(
      async (address: string, opts: QueryOpts) =>
        cli.print(await runQuery(cli, balance, { address }, opts.node ?? cli.defaultNode(), opts.height)),
    );
  }
  const account = findQuery(cli, '/cosmos.auth.v1beta1.Query/Account');
  if (account) {
    common(group('auth').command('account-of <address>').description('the account of an address')).action(
      async (address: string, opts: QueryOpts) =>
        cli.print(await runQuery(cli, account, { address }, opts.node ?? cli.defaultNode(), opts.height)),
    );
  }
}

function findQuery(cli: CliContext, path: string): QueryEntry | undefined {
  return cli.catalog().queries.find((q) => q.path === path);
}

interface AbciQueryResult {
  response: { code: number; log?: string; codespace?: string; value?: string | null };
}

/**
 * One ABCI query over CometBFT's JSON-RPC: a plain HTTP call, so the command needs neither
 * cosmjs nor a websocket. Request and response are proto3 JSON (Anys with "@type"). A non-zero
 * code is an error carrying the app's code and log.
 */
export async function runQuery(cli: CliContext, handler: QueryEntry, request: unknown, node: string, atHeight?: string): Promise<unknown> {
  const { requestType, responseType } = await handler.loadCodecs();
  const req = await cli.fromProtoJson(requestType as unknown as JsonCodec, request);
  const data = Buffer.from(requestType.encode(req).finish()).toString('hex');
  const params: Record<string, unknown> = { path: handler.path, data, prove: false };
  if (atHeight !== undefined) {
    if (!/^[1-9]\d*$/.test(atHeight)) throw new Error(`--height must be a positive integer, got "${atHeight}"`);
    params.height = atHeight;
  }
  const { response } = await rpcCall<AbciQueryResult>(node, 'abci_query', params, 30_000);
  if (response.code !== 0) {
    throw new Error(
      `query failed with code ${response.code}${response.codespace ? ` (codespace ${response.codespace})` : ''}: ${response.log ?? ''}`,
    );
  }
  return cli.toProtoJson(responseType as unknown as JsonCodec, responseType.decode(Buffer.from(response.value ?? '', 'base64')));
}
