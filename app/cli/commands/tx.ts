import type { Command } from 'commander';
import { parseCoins } from '../../types/coins.js';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { JsonCodec } from '../../codec/proto-json.js';
import type { MsgEntry } from '../catalog.js';
import type { MsgType } from '../client.js';
import type { CliContext } from '../context.js';
import { Keyring } from '../keyring.js';
import { TxFailure } from '../tx-failure.js';
import { commandName, GROUP_ALIASES, groupOfTypeUrl } from '../naming.js';

interface TxOpts {
  from: string;
  node?: string;
  gasPrice: string;
  gas?: string;
  memo?: string;
  signMode: string;
}

const SIGN_MODES = ['direct', 'amino-json'];

/**
 * `parazone tx <group> <msg> ...`: a hand-written `bank send`, plus one generic command per Msg
 * of every module (so a third-party module gets CLI commands without editing the core):
 * `parazone tx drugregistry ship '<json of MsgShip>' --from alice`.
 */
export function registerTx(program: Command, cli: CliContext): void {
  const tx = program.command('tx').description('sign and broadcast transactions');
  const withCommon = (cmd: Command) =>
    cmd
      .requiredOption('--from <key>', 'key name in the keyring that signs and pays')
      .option('--node <url>', 'CometBFT RPC endpoint (default: the one in <home>/endpoints.json)')
      .option('--gas-price <price>', 'gas price, e.g. 0.025upara', `0.025${cli.config.bondDenom}`)
      .option('--gas <amount>', 'gas limit, or "auto" to simulate (default auto)')
      .option('--memo <text>', 'memo')
      .option('--sign-mode <mode>', `how the key signs: ${SIGN_MODES.join(' or ')} (SIGN_MODE_LEGACY_AMINO_JSON)`, 'direct');

  const bank = tx.command('bank').description('bank (tokens) transactions with cosmjs-compatible messages');
  withCommon(bank.command('send <to> <amount>').description('send coins, e.g. 1000upara')).action(
    async (to: string, amount: string, opts: TxOpts) => {
      const from = new Keyring(cli.home(), cli.config.bech32Prefix).get(opts.from).address;
      await broadcast(cli, opts, [
        { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: from, toAddress: to, amount: parseCoins(amount) } },
      ]);
    },
  );

  const groups = new Map<string, Command>();
  for (const handler of cli.catalog().msgs) {
    const group = groupOfTypeUrl(handler.typeUrl);
    let groupCmd = groups.get(group);
    if (!groupCmd) {
      groupCmd = group === 'bank' ? bank : tx.command(group).description(`${group} transactions`);
      if (GROUP_ALIASES[group]) groupCmd.alias(GROUP_ALIASES[group]!);
      groups.set(group, groupCmd);
    }
    const name = commandName(handler.typeUrl);
    if (groupCmd.commands.some((c) => c.name() === name)) continue;
    withCommon(groupCmd.command(`${name} <json>`).description(`broadcast ${handler.typeUrl} given as proto3 JSON`)).action(
      async (json: string, opts: TxOpts) => sendGeneric(cli, handler, json, opts),
    );
  }
}

async function sendGeneric(cli: CliContext, handler: MsgEntry, json: string, opts: TxOpts): Promise<void> {
  const type = await handler.loadType();
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(`the message must be JSON (${(err as Error).message})`);
  }
  const value = await cli.fromProtoJson(type as unknown as JsonCodec, parsed);
  await broadcast(cli, opts, [{ typeUrl: handler.typeUrl, value }], [{ typeUrl: handler.typeUrl, type }]);
}

/** Broadcasts and prints the result like the SDK's `tx` commands; a refused tx exits non-zero with its code, codespace and log. */
async function broadcast(cli: CliContext, opts: TxOpts, messages: EncodeObject[], msgTypes: readonly MsgType[] = []): Promise<void> {
  if (!SIGN_MODES.includes(opts.signMode)) throw new Error(`--sign-mode must be ${SIGN_MODES.join(' or ')}, got "${opts.signMode}"`);
  // cosmjs is a heavy import: loaded only when a tx is sent.
  const { broadcastMsgs } = await import('../client.js');
  const { result, codespace } = await broadcastMsgs(new Keyring(cli.home(), cli.config.bech32Prefix), opts.from, messages, {
    node: opts.node ?? cli.defaultNode(),
    gasPrice: opts.gasPrice,
    msgTypes,
    ...(opts.signMode === 'amino-json' ? { aminoJson: await aminoJsonOf(cli) } : {}),
    fee: feeOf(opts),
    memo: opts.memo,
  });
  cli.print({
    height: result.height,
    txhash: result.transactionHash,
    code: result.code,
    codespace,
    gasWanted: result.gasWanted,
    gasUsed: result.gasUsed,
    rawLog: result.rawLog,
    events: result.events,
  });
  if (result.code !== 0) throw new TxFailure('delivery', result.code, codespace, result.rawLog ?? '', result.transactionHash);
}

/** The amino JSON of every Msg the CLI knows: a Msg may carry others (a proposal's messages). */
async function aminoJsonOf(cli: CliContext) {
  const [{ AminoJsonCodec }, { coreSchemas }] = await Promise.all([
    import('../../codec/amino-json.js'),
    import('../../codec/message-schemas.js'),
  ]);
  const entries = cli.catalog().msgs;
  const types = await Promise.all(entries.map((m) => m.loadType()));
  return new AminoJsonCodec(
    coreSchemas,
    entries.map((m, i) => ({ typeUrl: m.typeUrl, aminoName: m.aminoName, type: types[i]! })),
  );
}

function feeOf(opts: TxOpts): 'auto' | number {
  if (!opts.gas || opts.gas === 'auto') return 'auto';
  const gas = Number(opts.gas);
  if (!Number.isInteger(gas) || gas <= 0) throw new Error(`--gas must be a positive integer or "auto", got "${opts.gas}"`);
  // A number < 10 is cosmjs's simulate multiplier; a gas limit is always larger.
  return gas;
}
