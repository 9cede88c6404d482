/**
 * `parazone localnet --peer simd` as a user runs it: one command brings up a zone, an ibc-go v10
 * chain (simd) and the relayer between them and writes endpoints.json; the transfer commands it
 * prints work as printed (our CLI on the zone, simd's own CLI on simd), the voucher shows in
 * simd's own balance query, and SIGTERM stops every process it started. Needs .tools/bin/simd and
 * .tools/bin/cometbft: without them it fails, it never skips.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { StargateClient } from '@cosmjs/stargate';
import { locateCometbft, repoRoot } from '../../app/node/cometbft.js';
import { locateSimd } from '../../app/loadgen/simd-network.js';
import type { PeerEndpoints } from '../../app/cli/commands/localnet-peer.js';
import { TRANSFER_PORT, ibcDenom } from '../../modules/ibc/index.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { tempDir } from '../zones/zones-helpers.js';

const execFileAsync = promisify(execFile);
const cleanup = cleanupAfterAll();

/** Runs a printed command line through bash, as a user pastes it. */
async function shell(command: string): Promise<string> {
  const { stdout } = await execFileAsync('bash', ['-c', command], { cwd: repoRoot(), timeout: 120_000 });
  return stdout;
}

/** Every process whose command line names `dir` (the localnet's home), by pid. */
function processesUnder(dir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('localnet --peer simd runs a zone, simd and a relayer; the printed transfer commands work both ways', async () => {
  locateCometbft();
  locateSimd();
  const home = tempDir(cleanup);
  const logFile = path.join(home, 'localnet.log');
  const fd = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), 'localnet', '--peer', 'simd', '--home', home],
    { cwd: repoRoot(), stdio: ['ignore', fd, fd] },
  );
  fs.closeSync(fd);
  const exited = new Promise((r) => child.once('exit', r));
  cleanup.add('stop localnet', async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
  });
  const endpointsFile = path.join(home, 'endpoints.json');
  const ep = await pollUntil(
    'endpoints.json',
    () => {
      if (child.exitCode !== null) throw new Error(`localnet exited:\n${fs.readFileSync(logFile, 'utf8')}`);
      return fs.existsSync(endpointsFile) ? (JSON.parse(fs.readFileSync(endpointsFile, 'utf8')) as PeerEndpoints) : undefined;
    },
    150_000,
    200,
  );
  expect(ep.zone).toMatchObject({ chainId: 'parazone-local-1', home: path.join(home, 'zone') });
  expect(ep.zone.grpc).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(ep.zone.rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(ep.zone.web).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(ep.simd).toMatchObject({ chainId: 'simd-local-1', home: path.join(home, 'simd'), denom: 'stake', bech32Prefix: 'cosmos' });
  expect(ep.simd.grpc).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(ep.simd.rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(JSON.parse(fs.readFileSync(ep.relayer.path, 'utf8'))).toMatchObject({ b: { chainId: 'simd-local-1', kind: 'ibc-go' } });
  expect(JSON.parse(fs.readFileSync(path.join(ep.zone.home, 'endpoints.json'), 'utf8'))).toMatchObject({
    chainId: ep.zone.chainId,
    rpc: ep.zone.rpc,
  });
  await pollUntil(
    'relayer relaying',
    () => (fs.existsSync(ep.relayer.log) && fs.readFileSync(ep.relayer.log, 'utf8').includes('"msg":"relaying"') ? true : undefined),
    60_000,
    200,
  );

  // Our upara to simd, with the command the localnet printed; the voucher in simd's own query.
  const voucherOnSimd = ibcDenom(`${TRANSFER_PORT}/${ep.relayer.clientOnSimd}/${ep.zone.denom}`);
  await shell(ep.commands.zoneToSimd);
  const simdBalance = async (denom: string) => {
    const out = JSON.parse(await shell(ep.commands.simdBalances)) as { balances: { denom: string; amount: string }[] };
    return out.balances.find((c) => c.denom === denom)?.amount;
  };
  await pollUntil('the voucher on simd', async () => ((await simdBalance(voucherOnSimd)) === '1000' ? true : undefined), 60_000, 500);

  // simd's stake to the zone with simd's own CLI, as printed.
  const voucherOnZone = ibcDenom(`${TRANSFER_PORT}/${ep.relayer.clientOnZone}/${ep.simd.denom}`);
  await shell(ep.commands.simdToZone);
  const zone = await StargateClient.connect(ep.zone.rpc);
  cleanup.add('disconnect zone client', () => zone.disconnect());
  await pollUntil(
    'the voucher on the zone',
    async () => ((await zone.getBalance(ep.zone.faucet.address, voucherOnZone)).amount === '1000' ? true : undefined),
    60_000,
    500,
  );
  expect(await shell(ep.commands.zoneBalances)).toContain(voucherOnZone);
  await pollUntil(
    'both acks relayed',
    () => (fs.readFileSync(ep.relayer.log, 'utf8').split('"msg":"acknowledged"').length > 2 ? true : undefined),
    30_000,
    200,
  );

  expect(processesUnder(home).length).toBeGreaterThanOrEqual(5); // localnet, zone app + CometBFT, simd + CometBFT, relayer
  child.kill('SIGTERM');
  await Promise.race([
    exited,
    new Promise((_, reject) => setTimeout(() => reject(new Error('localnet did not stop on SIGTERM')), 30_000).unref()),
  ]);
  await pollUntil('every process of the localnet gone', () => (processesUnder(home).length === 0 ? true : undefined), 15_000, 200);
}, 300_000);
