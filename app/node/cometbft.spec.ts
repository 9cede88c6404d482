/**
 * The CometBFT process library against the real pinned binary (a missing binary fails these
 * tests: run `npm run setup`).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { makeTempDir } from '../../test/helpers/temp-dir.js';
import {
  CometbftNotFoundError,
  CometbftProcess,
  FAST_LOCAL_TIMEOUTS,
  cometbftVersion,
  configPath,
  defaultCometbftPath,
  freePort,
  freePorts,
  initHome,
  locateCometbft,
  nodeIdOfHome,
  patchGenesis,
  pinnedCometbftVersion,
  readGenesis,
  repoRoot,
  validatorOfHome,
  waitForHeight,
  writeNodeConfig,
} from './cometbft.js';

const dirs: { remove: () => void }[] = [];
const procs: CometbftProcess[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop(2000)));
  for (const d of dirs) d.remove();
});

function tempHome(): string {
  const dir = makeTempDir('cometlib');
  dirs.push(dir);
  return dir.path;
}

describe('locating the binary', () => {
  it('finds the repo root and the installed, pinned CometBFT', async () => {
    const root = repoRoot();
    expect(JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).name).toBe('parazone');
    expect(defaultCometbftPath(root)).toBe(join(root, '.tools', 'bin', 'cometbft'));
    expect(locateCometbft()).toBe(defaultCometbftPath(root));
    expect(pinnedCometbftVersion()).toMatch(/^0\.38\.\d+$/);
    expect(await cometbftVersion()).toBe(pinnedCometbftVersion());
  });

  it('tells the user to run npm run setup when the binary is absent', () => {
    expect(() => locateCometbft('/nonexistent/cometbft')).toThrow(CometbftNotFoundError);
    expect(() => locateCometbft('/nonexistent/cometbft')).toThrow(/npm run setup/);
  });
});

describe('ports', () => {
  it('freePort returns a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => ok());
    });
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('freePorts returns distinct ports', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
  });
});

describe('home, config and genesis', () => {
  it('writes our settings into config.toml with a real TOML parser, keeping the other keys', async () => {
    const home = tempHome();
    await initHome(home);
    await writeNodeConfig(home, {
      proxyApp: 'unix:///tmp/some-app.sock',
      rpcPort: 31001,
      p2pPort: 31002,
      moniker: 'val-0',
      timeouts: { commit: '300ms' },
      createEmptyBlocks: false,
      corsAllowedOrigins: ['*'],
      persistentPeers: ['abc@127.0.0.1:31012', 'def@127.0.0.1:31022'],
    });
    const config = parseToml(await readFile(configPath(home), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(config.proxy_app).toBe('unix:///tmp/some-app.sock');
    expect(config.moniker).toBe('val-0');
    expect(config.rpc!.laddr).toBe('tcp://127.0.0.1:31001');
    expect(config.rpc!.cors_allowed_origins).toEqual(['*']);
    expect(config.p2p!.laddr).toBe('tcp://127.0.0.1:31002');
    expect(config.p2p!.persistent_peers).toBe('abc@127.0.0.1:31012,def@127.0.0.1:31022');
    expect(config.consensus!.timeout_commit).toBe('300ms');
    expect(config.consensus!.timeout_propose).toBe(FAST_LOCAL_TIMEOUTS.propose);
    expect(config.consensus!.create_empty_blocks).toBe(false);
    expect(config.tx_index!.indexer).toBe('kv');
    // Untouched sections survive the rewrite.
    expect(config.mempool!.recheck).toBe(true);
    expect(config.storage!.discard_abci_responses).toBe(false);
  });

  it('rejects settings CometBFT would choke on', async () => {
    const home = tempHome();
    await initHome(home);
    const base = { proxyApp: 'tcp://127.0.0.1:26658', rpcPort: 1, p2pPort: 2 };
    await expect(writeNodeConfig(home, { ...base, moniker: ' ' })).rejects.toThrow(/moniker/);
    await expect(writeNodeConfig(home, { ...base, rpcPort: 0 })).rejects.toThrow(/rpcPort/);
    await expect(writeNodeConfig(home, { ...base, proxyApp: '127.0.0.1:26658' })).rejects.toThrow(/proxyApp/);
  });

  it('patches genesis.json and reads validator and node id from the home', async () => {
    const home = tempHome();
    await initHome(home);
    const before = await readGenesis(home);
    await patchGenesis(home, {
      chainId: 'parazone-1',
      appState: { tokens: { balances: [] } },
      genesisTime: '2026-01-02T03:04:05Z',
      initialHeight: 5,
      consensusParams: { abci: { vote_extensions_enable_height: '2' } },
    });
    const after = await readGenesis(home);
    expect(after.chain_id).toBe('parazone-1');
    expect(after.app_state).toEqual({ tokens: { balances: [] } });
    expect(after.genesis_time).toBe('2026-01-02T03:04:05.000Z');
    expect(after.initial_height).toBe('5');
    expect(after.consensus_params.abci).toEqual({ vote_extensions_enable_height: '2' });
    expect(after.consensus_params.block).toEqual(before.consensus_params.block);
    expect(after.validators).toEqual(before.validators);

    const validator = await validatorOfHome(home);
    expect(validator).toEqual({ ...before.validators[0], name: '' });
    expect(await nodeIdOfHome(home)).toMatch(/^[0-9a-f]{40}$/);

    await expect(patchGenesis(home, { chainId: 'x'.repeat(51) })).rejects.toThrow(/1 to 50/);
    await expect(patchGenesis(home, { genesisTime: 'yesterday' })).rejects.toThrow(/not a valid date/);
  });
});

describe('process control and waiting', () => {
  it('waitForHeight is bounded when nothing answers', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(waitForHeight(`http://127.0.0.1:${port}`, 1, 600)).rejects.toThrow(/timed out after 600 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('waitForHeight fails fast, with the log, when CometBFT exits', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'config'), { recursive: true });
    // A config that cannot parse makes `cometbft start` exit at once.
    writeFileSync(configPath(home), 'this is = = not toml');
    const proc = await CometbftProcess.start(home);
    procs.push(proc);
    await expect(waitForHeight('http://127.0.0.1:1', 1, 20_000, { process: proc })).rejects.toThrow(/CometBFT exited/);
    expect(proc.running).toBe(false);
  });

  it('stop() ends a node that is still waiting for its app', async () => {
    const home = tempHome();
    await initHome(home);
    const [rpcPort, p2pPort, appPort] = (await freePorts(3)) as [number, number, number];
    // Nothing listens on appPort: CometBFT keeps redialing the app.
    await writeNodeConfig(home, { proxyApp: `tcp://127.0.0.1:${appPort}`, rpcPort, p2pPort });
    const proc = await CometbftProcess.start(home);
    procs.push(proc);
    expect(proc.pid).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(proc.running).toBe(true);
    const started = Date.now();
    const exit = await proc.stop(1000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(exit.code !== null || exit.signal !== null).toBe(true);
    expect(proc.running).toBe(false);
    expect(await proc.logTail()).not.toBe('(no log)');
  });

  it('stop() escalates to SIGKILL when SIGTERM is ignored', async () => {
    const home = tempHome();
    const stubborn = join(home, 'stubborn.sh');
    writeFileSync(stubborn, "#!/bin/sh\ntrap '' TERM\nwhile true; do sleep 0.05; done\n");
    chmodSync(stubborn, 0o755);
    const proc = await CometbftProcess.start(home, { binary: stubborn });
    procs.push(proc);
    await new Promise((r) => setTimeout(r, 200)); // let the trap be installed
    const started = Date.now();
    const exit = await proc.stop(300);
    expect(exit.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('stopUnlessExited() lets a CometBFT exit by itself, and ends one that hangs, within a bound', async () => {
    const home = tempHome();
    const quitting = join(home, 'quitting.sh');
    writeFileSync(quitting, '#!/bin/sh\nsleep 0.2\nexit 3\n');
    chmodSync(quitting, 0o755);
    const quits = await CometbftProcess.start(home, { binary: quitting });
    procs.push(quits);
    expect(await quits.stopUnlessExited(5000, 300)).toEqual({ code: 3, signal: null });

    const hanging = join(home, 'hanging.sh');
    writeFileSync(hanging, "#!/bin/sh\ntrap '' TERM\nwhile true; do sleep 0.05; done\n");
    chmodSync(hanging, 0o755);
    const hangs = await CometbftProcess.start(home, { binary: hanging });
    procs.push(hangs);
    const started = Date.now();
    expect((await hangs.stopUnlessExited(300, 300)).signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
