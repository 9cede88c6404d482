/**
 * `parazone chain-registry`: chain.json and assetlist.json that satisfy the cosmos/chain-registry
 * schemas' required fields, and a Keplr chain suggestion with the same data, for any node home.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../app/node/cometbft.js';
import { assetListProblems, chainJsonProblems, keplrProblems } from '../helpers/chain-registry-schema.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const cleanup = cleanupAfterAll();
const parazone = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), ...args], { cwd: repoRoot(), timeout: 60_000 });

it('writes chain.json, assetlist.json and keplr.json for a node home', async () => {
  const dir = makeTempDir('registry');
  cleanup.add('remove', () => dir.remove());
  const home = path.join(dir.path, 'node');
  await parazone('init', 'val', '--chain-id', 'registry-1', '--home', home);
  const { files } = JSON.parse((await parazone('chain-registry', '--home', home)).stdout) as { files: string[] };
  expect(files.map((f) => path.basename(f))).toEqual(['chain.json', 'assetlist.json', 'keplr.json']);
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(home, name), 'utf8')) as Record<string, any>;

  const chain = read('chain.json');
  expect(chainJsonProblems(chain)).toEqual([]);
  expect(chain).toMatchObject({ chain_name: 'registry1', chain_id: 'registry-1', bech32_prefix: 'para', slip44: 118 });
  expect(chain.fees.fee_tokens[0]).toMatchObject({ denom: 'upara', average_gas_price: 0.025 });
  expect(chain.staking.staking_tokens).toEqual([{ denom: 'upara' }]);
  // `parazone init` turns on gRPC and REST at the SDK's default addresses.
  expect(chain.apis).toEqual({
    rpc: [{ address: 'http://127.0.0.1:26657' }],
    rest: [{ address: 'http://127.0.0.1:1317' }],
    grpc: [{ address: '127.0.0.1:9090' }],
  });

  const assets = read('assetlist.json');
  expect(assetListProblems(assets)).toEqual([]);
  expect(assets.assets[0]).toMatchObject({
    base: 'upara',
    display: 'para',
    symbol: 'PARA',
    denom_units: [
      { denom: 'upara', exponent: 0 },
      { denom: 'para', exponent: 6 },
    ],
  });

  const keplr = read('keplr.json');
  expect(keplrProblems(keplr)).toEqual([]);
  expect(keplr).toMatchObject({
    chainId: 'registry-1',
    rpc: 'http://127.0.0.1:26657',
    rest: 'http://127.0.0.1:1317',
    bip44: { coinType: 118 },
  });
  expect(keplr.bech32Config.bech32PrefixValAddr).toBe('paravaloper');
  expect(keplr.feeCurrencies[0]).toMatchObject({
    coinMinimalDenom: 'upara',
    coinDecimals: 6,
    gasPriceStep: { low: 0.01, average: 0.025, high: 0.04 },
  });
}, 120_000);

it('the checker refuses files that miss what the schema requires', () => {
  expect(chainJsonProblems({ chain_name: 'x', chain_type: 'cosmos' })).toEqual([
    'bech32_prefix is required (a non-empty string)',
    'chain_id is required (a non-empty string)',
  ]);
  expect(
    assetListProblems({
      chain_name: 'x',
      assets: [{ base: 'u', display: 'd', name: 'n', symbol: 's', denom_units: [{ denom: 'u', exponent: 0 }] }],
    }),
  ).toEqual(['display must be one of denom_units']);
  expect(keplrProblems({})).toContain('chainId is required (a non-empty string)');
});
