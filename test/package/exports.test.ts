/**
 * The package's public entry points resolve through its own name (Node's package self-reference,
 * the way a chain builder's code resolves them from node_modules), and deep paths outside the
 * `exports` map do not.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from '../../app/node/cometbft.js';

const run = promisify(execFile);

/** Runs `source` as an ES module under tsx from the repository root and returns its stdout. */
async function evaluate(source: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: repoRoot(),
    timeout: 60_000,
  });
  return stdout.trim();
}

it('parazone, parazone/modules/<name> and parazone/cli name the public API', async () => {
  const out = await evaluate(`
    const api = await import('parazone');
    const tokens = await import('parazone/modules/tokens');
    const drugs = await import('parazone/modules/drugregistry');
    const cli = await import('parazone/cli');
    const chain = api.composeChain({ extraModules: [({ config }) => ({ name: 'extra', storeKey: new api.StoreKey('extra') })] });
    console.log(JSON.stringify({
      modules: chain.modules.map((m) => m.name),
      authority: api.governanceAuthority(chain.config) === chain.config.addresses.moduleAddress('governance'),
      helpers: [typeof api.defineMsg, typeof api.registerError, typeof api.BaseError, typeof api.Context.prototype.branch],
      tokens: [typeof tokens.createTokensModule, tokens.TOKENS_MODULE_NAME],
      drugs: typeof drugs.createDrugRegistryModule,
      cli: [typeof cli.runCli, api.runCli === cli.runCli],
    }));
  `);
  expect(JSON.parse(out)).toEqual({
    modules: ['auth', 'tokens', 'governance', 'drugregistry', 'ibc', 'extra'],
    authority: true,
    helpers: ['function', 'function', 'function', 'function'],
    tokens: ['function', 'tokens'],
    drugs: 'function',
    cli: ['function', true],
  });
});

it('internal paths are not part of the package surface', async () => {
  await expect(evaluate(`await import('parazone/app/store/commit-store.ts')`)).rejects.toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
});
