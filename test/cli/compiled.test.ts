/**
 * The compiled CLI (bin/parazone.js → dist/, built by scripts/build.js): it says what the
 * TypeScript CLI says, notices stale sources and rebuilds, imports only what a command needs,
 * and its queries and txs work against a real node.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../app/node/cometbft.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const exec = promisify(execFile);
const root = repoRoot();
const cleanup = cleanupAfterAll();
const node = (args: string[]) => exec(process.execPath, args, { cwd: root, timeout: 90_000 });
const compiled = (...args: string[]) => node([path.join(root, 'bin/parazone.js'), ...args]);
const viaTsx = (...args: string[]) => node(['--import', 'tsx', path.join(root, 'app/cli/main.ts'), ...args]);
const isCurrent = () =>
  node([path.join(root, 'scripts/build.js'), '--check']).then(
    () => true,
    () => false,
  );
/** What a light command must not load: the chain, lmdb, cosmjs's clients, the modules' code. */
const heavy = (urls: string[]) =>
  urls.filter((u) => /\/dist\/app\/app\.js$|\/lmdb\/|@cosmjs\/(stargate|proto-signing|tendermint-rpc)|\/dist\/modules\//.test(u));

/** Runs the compiled CLI with a resolve hook that lists every module it loads. */
async function loadedModules(...args: string[]): Promise<string[]> {
  const dir = makeTempDir('hook');
  cleanup.add('remove hook dir', () => dir.remove());
  const hook = path.join(dir.path, 'hook.mjs');
  fs.writeFileSync(
    hook,
    'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`LOADED ${r.url}\\n`); return r; }\n',
  );
  const register = path.join(dir.path, 'register.mjs');
  fs.writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hook}`)});\n`);
  const { stderr } = await node(['--import', register, path.join(root, 'bin/parazone.js'), ...args]).catch(
    (err: { stderr: string }) => err,
  );
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length));
}

beforeAll(async () => {
  await node([path.join(root, 'scripts/build.js'), '--if-stale']);
}, 120_000);

describe('compiled CLI', () => {
  it('prints the same help as the TypeScript CLI, top level and for chain-derived subcommands', async () => {
    for (const args of [['--help'], ['query', 'bank', '--help'], ['tx', 'drugregistry', '--help'], ['help', 'keys']]) {
      expect((await compiled(...args)).stdout).toBe((await viaTsx(...args)).stdout);
    }
  });

  it('rebuilds when a source is newer than the build', async () => {
    expect(await isCurrent()).toBe(true);
    const now = new Date();
    fs.utimesSync(path.join(root, 'app/cli/main.ts'), now, now);
    expect(await isCurrent()).toBe(false);
    await compiled('--help');
    expect(await isCurrent()).toBe(true);
  });

  it('does not import the chain, lmdb or cosmjs for --help or a query', async () => {
    const help = await loadedModules('--help');
    expect(help.some((u) => u.endsWith('/dist/app/cli/main.js'))).toBe(true);
    expect(heavy(help)).toEqual([]);
    const query = await loadedModules('query', 'bank', 'balances', 'para1xyz', '--node', 'http://127.0.0.1:1');
    expect(query.some((u) => u.endsWith('/dist/app/cli/commands/query.js'))).toBe(true);
    expect(heavy(query)).toEqual([]);
  });
});

describe('compiled CLI against a node', () => {
  let chain: TestChain;
  beforeAll(async () => {
    // The node runs the compiled code too, so its Block-STM worker threads must find their
    // entry and task modules as .js files in dist/ (they are started and handshake at boot).
    chain = await startTestChain(
      { accounts: { alice: `1000000000${TEST_DENOM}` }, entry: path.join(root, 'dist/app/cli/main.js') },
      cleanup,
    );
  });

  it('queries with codecs from cosmjs-types and from generated code, and sends a tx', async () => {
    const alice = chain.keys.alice!.address;
    const balances = JSON.parse((await compiled('query', 'bank', 'balances', alice, '--node', chain.rpc)).stdout) as {
      balances: unknown[];
    };
    expect(balances.balances).toEqual([{ denom: TEST_DENOM, amount: '1000000000' }]);
    const params = JSON.parse((await compiled('query', 'governance', 'params', '--node', chain.rpc)).stdout) as { params?: unknown };
    expect(params.params).toBeDefined();

    const keys = JSON.parse((await compiled('keys', 'list', '--home', chain.home)).stdout) as { name: string }[];
    expect(keys.map((k) => k.name)).toEqual(['alice']);

    const bob = (await chain.keyring.add('bob')).address;
    const sent = JSON.parse(
      (await compiled('tx', 'bank', 'send', bob, '123upara', '--from', 'alice', '--home', chain.home, '--node', chain.rpc)).stdout,
    ) as { code: number };
    expect(sent.code).toBe(0);
    const received = JSON.parse((await compiled('query', 'bank', 'balances', bob, '--node', chain.rpc)).stdout) as { balances: unknown[] };
    expect(received.balances).toEqual([{ denom: TEST_DENOM, amount: '123' }]);
  });

  it('prints Anys as proto3 JSON with @type (an account, a committed tx) without importing the chain, lmdb or cosmjs', async () => {
    const alice = chain.keys.alice!.address;
    const accountArgs = ['query', 'auth', 'account-of', alice, '--node', chain.rpc];
    const { account } = JSON.parse((await compiled(...accountArgs)).stdout) as { account: Record<string, unknown> };
    expect(account).toMatchObject({ '@type': '/cosmos.auth.v1beta1.BaseAccount', address: alice });
    expect(heavy(await loadedModules(...accountArgs))).toEqual([]);

    const carol = (await chain.keyring.add('carol')).address;
    const sent = JSON.parse(
      (await compiled('tx', 'bank', 'send', carol, '5upara', '--from', 'alice', '--home', chain.home, '--node', chain.rpc)).stdout,
    ) as { txhash: string; height: number };
    const txArgs = ['query', 'tx', sent.txhash, '--node', chain.rpc];
    const found = JSON.parse((await compiled(...txArgs)).stdout) as {
      txhash: string;
      height: number;
      code: number;
      tx: { body: { messages: Record<string, unknown>[] }; authInfo: { signerInfos: { publicKey: Record<string, unknown> }[] } };
    };
    expect(found).toMatchObject({ txhash: sent.txhash.toUpperCase(), height: sent.height, code: 0 });
    expect(found.tx.body.messages).toEqual([
      { '@type': '/cosmos.bank.v1beta1.MsgSend', fromAddress: alice, toAddress: carol, amount: [{ denom: TEST_DENOM, amount: '5' }] },
    ]);
    expect(found.tx.authInfo.signerInfos[0]!.publicKey['@type']).toBe('/cosmos.crypto.secp256k1.PubKey');
    expect(heavy(await loadedModules(...txArgs))).toEqual([]);

    const block = JSON.parse((await compiled('query', 'block', String(sent.height), '--node', chain.rpc)).stdout) as {
      block: { header: { height: string } };
    };
    expect(block.block.header.height).toBe(String(sent.height));
  });

  it('reports a failed query with its code and log', async () => {
    await expect(compiled('query', 'bank', 'balances', 'not-an-address', '--node', chain.rpc)).rejects.toMatchObject({
      stderr: expect.stringMatching(/query failed with code \d+/),
    });
  });
});
