import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readPathConfig, resolvePathConfig } from './config.js';

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const zone = (chainId: string) => ({ chainId, rpc: 'http://127.0.0.1:26657/', mnemonic: WORDS });

describe('relayer path config', () => {
  it('fills defaults and trims the rpc url', () => {
    const c = resolvePathConfig({ a: zone('zone-1'), b: zone('zone-2') });
    expect(c.a).toEqual({
      chainId: 'zone-1',
      rpc: 'http://127.0.0.1:26657',
      kind: 'parazone',
      mnemonic: WORDS,
      prefix: 'para',
      gasPrice: '0.025upara',
    });
    expect(c.pollMs).toBe(300);
    expect(c.trustingPeriodSeconds).toBe(14 * 24 * 3600);
  });

  it('reads a mnemonic file relative to the path file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relayer-config-'));
    try {
      fs.writeFileSync(path.join(dir, 'key-b.txt'), `${WORDS}\n`);
      fs.writeFileSync(
        path.join(dir, 'path.json'),
        JSON.stringify({ a: zone('zone-1'), b: { chainId: 'zone-2', rpc: 'http://x:1', mnemonicFile: 'key-b.txt' } }),
      );
      expect(readPathConfig(path.join(dir, 'path.json')).b.mnemonic).toBe(WORDS);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses incomplete or contradictory paths with a clear message', () => {
    expect(() => resolvePathConfig({ a: zone('zone-1'), b: zone('zone-1') })).toThrow('both ends are zone-1');
    expect(() => resolvePathConfig({ a: zone('zone-1'), b: { chainId: 'zone-2', rpc: 'http://x:1' } })).toThrow('b needs the relayer key');
    expect(() => resolvePathConfig({ a: { ...zone('zone-1'), rpc: 'tcp://x:1' }, b: zone('zone-2') })).toThrow(
      'a.rpc must be an http(s) URL',
    );
    expect(() => resolvePathConfig({ a: zone('zone-1'), b: zone('zone-2'), pollMs: -1 })).toThrow('pollMs');
    expect(() => readPathConfig('/nonexistent/path.json')).toThrow('cannot read path config');
  });
});
