import path from 'node:path';
import { NODE_RUNTIME_FLAGS, appProcessArgs } from './app-process.js';

describe('appProcessArgs', () => {
  it('runs a TypeScript entry under tsx as `start --abci-only --home`, node flags first', () => {
    expect(appProcessArgs({ home: '/h', entry: '/repo/chain.ts', nodeArgs: ['--cpu-prof'] })).toEqual([
      ...NODE_RUNTIME_FLAGS,
      '--cpu-prof',
      '--import',
      'tsx',
      '/repo/chain.ts',
      'start',
      '--abci-only',
      '--home',
      '/h',
    ]);
  });

  it('runs a compiled entry directly, and the whole node (app and CometBFT) when abciOnly is false', () => {
    expect(appProcessArgs({ home: '/h', entry: '/repo/dist/app/cli/main.js', abciOnly: false })).toEqual([
      ...NODE_RUNTIME_FLAGS,
      '/repo/dist/app/cli/main.js',
      'start',
      '--home',
      '/h',
    ]);
  });

  it('gives every node process a young generation sized for a block', () => {
    expect(appProcessArgs({ home: '/h' })).toContain('--max-semi-space-size=64');
  });

  it('defaults to the stock CLI beside it', () => {
    const args = appProcessArgs({ home: '/h' }).slice(NODE_RUNTIME_FLAGS.length);
    expect(args.slice(0, 2)).toEqual(['--import', 'tsx']);
    expect(path.relative(process.cwd(), args[2]!)).toBe(path.join('app', 'cli', 'main.ts'));
  });
});
