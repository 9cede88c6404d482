/**
 * Genesis tooling as validators use it, through the real `parazone` command: init two homes,
 * add a funded account and the second node's validator key to the first genesis, validate it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../app/node/cometbft.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const cleanup = cleanupAfterAll();
const parazone = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), ...args], { cwd: repoRoot(), timeout: 60_000 });

it('init, keys add, genesis add-account / add-validator / validate', async () => {
  const dir = makeTempDir('cli');
  cleanup.add('remove', () => dir.remove());
  const a = path.join(dir.path, 'a');
  const b = path.join(dir.path, 'b');
  await parazone('init', 'val-a', '--chain-id', 'tooling-1', '--home', a);
  await parazone(
    'init',
    'val-b',
    '--chain-id',
    'tooling-1',
    '--rpc-port',
    '36657',
    '--p2p-port',
    '36656',
    '--abci-port',
    '36658',
    '--home',
    b,
  );
  const key = JSON.parse((await parazone('keys', 'add', 'alice', '--home', a)).stdout) as { address: string; mnemonic: string };
  expect(key.mnemonic.split(' ')).toHaveLength(24);
  await parazone('genesis', 'add-account', 'alice', '5000upara', '--home', a);
  await parazone('genesis', 'add-account', key.address, '7uother', '--home', a);
  await parazone('genesis', 'add-validator', b, '--power', '5', '--home', a);
  expect(JSON.parse((await parazone('genesis', 'validate', '--home', a)).stdout)).toEqual({ valid: true });

  const genesis = JSON.parse(fs.readFileSync(path.join(a, 'config', 'genesis.json'), 'utf8'));
  expect(genesis.chain_id).toBe('tooling-1');
  expect(genesis.validators).toHaveLength(2);
  expect(genesis.validators[1].power).toBe('5');
  expect(genesis.app_state.tokens.balances).toEqual([
    {
      address: key.address,
      coins: [
        { denom: 'uother', amount: '7' },
        { denom: 'upara', amount: '5000' },
      ],
    },
  ]);
  expect(genesis.app_state.auth.accounts).toEqual([{ address: key.address }]);
  // Each home has app.toml beside CometBFT's config; init's port flags land in both.
  expect(fs.readFileSync(path.join(a, 'config', 'app.toml'), 'utf8')).toMatch(/\[abci\][^[]*address = "tcp:\/\/127\.0\.0\.1:26658"/);
  expect(fs.readFileSync(path.join(b, 'config', 'app.toml'), 'utf8')).toMatch(/\[abci\][^[]*address = "tcp:\/\/127\.0\.0\.1:36658"/);
  const cometB = fs.readFileSync(path.join(b, 'config', 'config.toml'), 'utf8');
  expect(cometB).toMatch(/proxy_app = "tcp:\/\/127\.0\.0\.1:36658"/);
  expect(cometB).toMatch(/laddr = "tcp:\/\/127\.0\.0\.1:36657"/);
  expect(cometB).toMatch(/laddr = "tcp:\/\/127\.0\.0\.1:36656"/);

  // Bad input: a validator twice, a malformed amount, an invalid genesis.
  await expect(parazone('genesis', 'add-validator', b, '--home', a)).rejects.toThrow(/already in this genesis/);
  await expect(parazone('genesis', 'add-account', 'alice', 'lots', '--home', a)).rejects.toThrow(/not a coin/);
  genesis.app_state.tokens.supply = [{ denom: 'upara', amount: '1' }];
  fs.writeFileSync(path.join(a, 'config', 'genesis.json'), JSON.stringify(genesis));
  await expect(parazone('genesis', 'validate', '--home', a)).rejects.toThrow(/tokens.*supply/i);
}, 120_000);
