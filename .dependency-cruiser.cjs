/**
 * Import boundaries (`npm run lint:imports`).
 *
 * - A module (modules/<name>) reaches the runtime only through app/types and app/codec, and other
 *   modules only through the keeper interfaces its expected-keepers.ts declares: never another
 *   module's files, the store's internals, tests or scripts.
 * - Shipped source never imports test/ or scripts/.
 * - The runtime (abci, baseapp, exec, store, types, crypto, codec) never imports the chain
 *   composition (app/app.ts), the modules, or the tools built on top (loadgen, cli, relayer).
 * - The ICS-23 verifier (app/ics23) is a pure library: the store's specs, the ibc module and the
 *   relayer all verify through it, so it depends on none of them.
 */
const runtime = '^app/(abci|baseapp|exec|store|types|crypto|codec)/';
/** Test code beside the source: specs, benchmarks and a module's test helper (`testing.ts`). */
const testCode = ['\\.spec\\.ts$', '\\.bench\\.ts$', '/testing\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-not-to-other-module',
      comment: 'Modules talk through keeper interfaces (expected-keepers.ts) and app/types, never through another module’s files.',
      severity: 'error',
      from: { path: '^modules/([^/]+)/' },
      to: { path: '^modules/', pathNot: ['^modules/$1/'] },
    },
    {
      name: 'module-not-to-store-internals',
      comment:
        'Modules (their tests aside) use the Context and the KVStore interface (app/store/types.ts, app/store/bytes.ts), not the store implementation.',
      severity: 'error',
      from: { path: '^modules/', pathNot: testCode },
      to: { path: '^app/store/', pathNot: ['^app/store/(types|bytes)\\.ts$'] },
    },
    {
      name: 'source-not-to-tests-or-scripts',
      comment: 'Shipped code never depends on tests or scripts.',
      severity: 'error',
      from: { path: '^(app|modules|bin)/', pathNot: testCode },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'runtime-not-to-composition',
      comment: 'The runtime is composed by app/app.ts; it never imports it, the modules, or the tools on top.',
      severity: 'error',
      from: { path: runtime, pathNot: testCode },
      to: { path: ['^app/app\\.ts$', '^modules/', '^app/(loadgen|cli|relayer)/'] },
    },
    {
      name: 'ics23-is-a-pure-library',
      comment: 'app/ics23 depends only on itself, protobuf types and the error base (its specs and the Go reference harness aside).',
      severity: 'error',
      from: { path: '^app/ics23/', pathNot: [...testCode, '^app/ics23/(go-reference|malformed-proofs)\\.ts$'] },
      to: { path: '^(app|modules|bin|test|scripts|generated)/', pathNot: ['^app/ics23/', '^app/types/base-error\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^generated/'] },
    exclude: { path: ['^app/web/', '^generated/', '^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
