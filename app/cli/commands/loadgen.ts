import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_FLAGS, suiteOptionsFromFlags, type LoadgenFlags } from '../../loadgen/cli-options.js';
import { WORKLOAD_DESCRIPTIONS } from '../../loadgen/plan.js';
import type { CliContext } from '../context.js';

/**
 * `parazone loadgen`: end-to-end throughput under CometBFT, measured from the chain. By default
 * it starts its own localnet (accounts funded at genesis) and, side by side, CometBFT's kvstore
 * app as the ceiling; with --node it loads a running chain, funding accounts from a faucet (not
 * for the drug workload, whose custodians and their units are written into the localnet genesis).
 */
export function registerLoadgen(program: Command, cli: CliContext): void {
  program
    .command('loadgen')
    .description('load a chain with pre-signed txs over CometBFT RPC and report committed TPS, latency and the kvstore ceiling')
    .option(
      '--target <t>',
      'parazone, simd, kvstore (comma-separated), both (kvstore,parazone) or all (the three side by side)',
      DEFAULT_FLAGS.target,
    )
    .option(
      '--workload <list>',
      `comma-separated: ${Object.keys(WORKLOAD_DESCRIPTIONS).join(', ')}, or all (drug = MsgShip custody transfers; localnet only, not with --node)`,
      DEFAULT_FLAGS.workload,
    )
    .option(
      '--executor <mode>',
      'parallel, sequential or both: written to app.toml [executor] mode of the localnet',
      DEFAULT_FLAGS.executor,
    )
    .option('--txs <n>', 'txs to pre-sign and send to our chain', DEFAULT_FLAGS.txs)
    .option('--kv-txs <n>', 'txs to send to the kvstore (default 3 × --txs)')
    .option('--accounts <n>', 'sending accounts', DEFAULT_FLAGS.accounts)
    .option('--rate <tps>', 'target send rate; 0 = open-loop, as fast as accepted', DEFAULT_FLAGS.rate)
    .option('--broadcast <mode>', 'sync (CheckTx verdict per tx) or async', DEFAULT_FLAGS.broadcast)
    .option('--connections <n>', 'concurrent RPC connections', DEFAULT_FLAGS.connections)
    .option('--duration <s>', 'stop sending after this many seconds', DEFAULT_FLAGS.duration)
    .option('--warmup <s>', 'seconds of blocks not counted after the first committed tx', DEFAULT_FLAGS.warmup)
    .option('--drain-timeout <s>', 'after sending, wait at most this long for the chain to commit', DEFAULT_FLAGS.drainTimeout)
    .option('--timeout-commit <d>', 'CometBFT consensus.timeout_commit', DEFAULT_FLAGS.timeoutCommit)
    .option('--mempool-size <n>', 'CometBFT mempool.size (txs)', DEFAULT_FLAGS.mempoolSize)
    .option('--no-recheck', 'turn off CometBFT mempool.recheck')
    .option('--max-block-bytes <n>', 'consensus_params.block.max_bytes', DEFAULT_FLAGS.maxBlockBytes)
    .option('--seed <n>', 'workload seed', DEFAULT_FLAGS.seed)
    .option('--repeats <n>', 'runs of each configuration, interleaved; comparisons use medians', DEFAULT_FLAGS.repeats)
    .option(
      '--zones <n>',
      'also load n zones at once (n localnets of ours, and n kvstore nodes as their ceiling; transfer workload, first executor) and report the aggregate TPS',
    )
    .option(
      '--node <rpc>',
      'load a running chain at this RPC (e.g. http://127.0.0.1:26657) instead of a new localnet (not the drug workload: it needs a localnet)',
    )
    .option(
      '--faucet-mnemonic <words>',
      'with --node: the funded key that funds the load accounts (default: the localnet faucet of --home)',
    )
    .option('--out <file>', 'JSON report path (a PNG chart is written beside it)', 'loadgen-report.json')
    .option('--work-dir <dir>', 'where localnet homes are created (default the OS temp dir)')
    .option('--keep-home', 'keep the localnet homes (logs, data) after the run')
    .option('--cpu-prof <dir>', 'run the app process with node --cpu-prof, profiles written to <dir>')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `\nWorkloads:\n${Object.entries(WORKLOAD_DESCRIPTIONS)
        .map(([k, v]) => `  ${k.padEnd(9)} ${v}`)
        .join('\n')}`,
    )
    .action(async (flags: LoadgenFlags & { out: string }) => {
      const endpoints = path.join(cli.home(), 'endpoints.json');
      const faucetMnemonic = fs.existsSync(endpoints)
        ? (JSON.parse(fs.readFileSync(endpoints, 'utf8')) as { faucet?: { mnemonic?: string } }).faucet?.mnemonic
        : undefined;
      const options = suiteOptionsFromFlags(
        { ...flags, progress: flags.progress && process.stderr.isTTY === true },
        { faucetMnemonic, log: (l) => console.error(`loadgen: ${l}`), command: `parazone ${process.argv.slice(2).join(' ')}` },
      );
      // Loaded here, not at CLI start: the runner and the chart renderer are heavy imports.
      const { formatSuite, runSuite } = await import('../../loadgen/suite.js');
      const { renderSuiteChart } = await import('../../loadgen/chart.js');
      // Ctrl-C: exit through process 'exit', whose hooks kill the nodes this command started.
      const interrupt = () => process.exit(130);
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      const report = await runSuite(options);
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      const out = path.resolve(flags.out);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
      const png = out.replace(/\.json$/, '') + '.png';
      fs.writeFileSync(png, await renderSuiteChart(report));
      console.error(formatSuite(report));
      console.error(`loadgen: report ${out}, chart ${png}`);
    });
}
