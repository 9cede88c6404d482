/**
 * `parazone keys add NAME --multisig a,b,c --multisig-threshold 2`, as `simd keys add --multisig`:
 * the multisig's address (the one cosmjs computes for the same keys), a hybrid with an ML-DSA
 * member, and the refusals.
 */
import { createMultisigThresholdPubkey, pubkeyToAddress } from '@cosmjs/amino';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../app/node/cometbft.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const cleanup = cleanupAfterAll();
const dir = makeTempDir('keys-multisig');
cleanup.add('remove', () => dir.remove());
const parazone = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), ...args, '--home', dir.path], {
    cwd: repoRoot(),
    timeout: 60_000,
  });
const json = async (...args: string[]) => JSON.parse((await parazone(...args)).stdout) as Record<string, unknown>;

it('keys add --multisig prints the multisig address; keys show and a hybrid with an ML-DSA key too', async () => {
  const members = [await json('keys', 'add', 'a'), await json('keys', 'add', 'b'), await json('keys', 'add', 'c')];
  const multisig = await json('keys', 'add', 'abc', '--multisig', 'a,b,c', '--multisig-threshold', '2');
  const cosmjs = createMultisigThresholdPubkey(
    members.map((m) => ({ type: 'tendermint/PubKeySecp256k1', value: m.pubkey as string })),
    2,
  );
  expect(multisig).toMatchObject({ name: 'abc', algo: 'multisig', address: pubkeyToAddress(cosmjs, 'para'), threshold: 2 });
  expect(multisig).not.toHaveProperty('mnemonic');
  expect(await json('keys', 'show', 'abc')).toEqual(multisig);
  expect((await parazone('keys', 'show', 'abc', '-a')).stdout.trim()).toBe(multisig.address);

  await json('keys', 'add', 'pq', '--algo', 'ml-dsa-65');
  const hybrid = await json('keys', 'add', 'hybrid', '--multisig', 'a,pq', '--multisig-threshold', '2');
  expect(hybrid).toMatchObject({ algo: 'multisig', threshold: 2, address: expect.stringMatching(/^para1/) });

  const failure = (err: { stderr: string }) => err.stderr;
  expect(await parazone('keys', 'add', 'x', '--multisig', 'a,b', '--multisig-threshold', '3').catch(failure)).toMatch(
    /--multisig-threshold must be between 1 and the 2 keys of --multisig, got 3/,
  );
  expect(await parazone('keys', 'export', 'abc').catch(failure)).toMatch(/key "abc" is a multisig: it has no mnemonic/);
}, 120_000);
