/** app.toml: the state-sync and pruning settings round-trip, default when absent, and refuse nonsense. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_APP_CONFIG, appConfigPath, readAppConfig, writeAppConfig } from './app-config.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function home(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-appcfg-'));
  dirs.push(dir);
  return dir;
}

describe('app.toml [state_sync] and [pruning]', () => {
  it('writes and reads back snapshot interval, snapshot keep_recent and pruning keep_recent', () => {
    const h = home();
    writeAppConfig(h, { ...DEFAULT_APP_CONFIG, snapshotInterval: 100, snapshotKeepRecent: 5, pruningKeepRecent: 362 });
    const text = fs.readFileSync(appConfigPath(h), 'utf8');
    expect(text).toMatch(/\[state_sync\]\s*\nsnapshot_interval = 100\s*\nsnapshot_keep_recent = 5/);
    expect(text).toMatch(/\[pruning\]\s*\nkeep_recent = 362/);
    expect(readAppConfig(h)).toMatchObject({ snapshotInterval: 100, snapshotKeepRecent: 5, pruningKeepRecent: 362 });
  });

  it('defaults to no snapshots, 2 kept, and no pruning when the sections are missing (older app.toml files)', () => {
    const h = home();
    fs.mkdirSync(path.join(h, 'config'));
    fs.writeFileSync(appConfigPath(h), '[abci]\naddress = "tcp://127.0.0.1:1234"\n');
    expect(readAppConfig(h)).toMatchObject({
      abciAddress: 'tcp://127.0.0.1:1234',
      snapshotInterval: 0,
      snapshotKeepRecent: 2,
      pruningKeepRecent: 0,
    });
  });

  it('refuses a negative or fractional count, naming the setting', () => {
    const h = home();
    fs.mkdirSync(path.join(h, 'config'));
    fs.writeFileSync(appConfigPath(h), '[pruning]\nkeep_recent = -1\n');
    expect(() => readAppConfig(h)).toThrow('[pruning] keep_recent must be a whole number ≥ 0, got -1');
    fs.writeFileSync(appConfigPath(h), '[state_sync]\nsnapshot_interval = 1.5\n');
    expect(() => readAppConfig(h)).toThrow('[state_sync] snapshot_interval');
  });
});

describe('app.toml [grpc] and [api]', () => {
  it('are off by default at the SDK addresses, and round-trip when set', () => {
    expect(readAppConfig(home())).toMatchObject({
      grpcEnable: false,
      grpcAddress: '127.0.0.1:9090',
      apiEnable: false,
      apiAddress: '127.0.0.1:1317',
      apiCorsAllowedOrigins: [],
    });
    const h = home();
    writeAppConfig(h, {
      ...DEFAULT_APP_CONFIG,
      grpcEnable: true,
      grpcAddress: '127.0.0.1:9999',
      apiEnable: true,
      apiCorsAllowedOrigins: ['*'],
    });
    expect(fs.readFileSync(appConfigPath(h), 'utf8')).toMatch(
      /\[api\]\s*\nenable = true\s*\naddress = "127.0.0.1:1317"\s*\ncors_allowed_origins = \[ "\*" \]/,
    );
    expect(readAppConfig(h)).toMatchObject({
      grpcEnable: true,
      grpcAddress: '127.0.0.1:9999',
      apiEnable: true,
      apiCorsAllowedOrigins: ['*'],
    });
  });

  it('refuses an enable that is not a boolean, naming the setting', () => {
    const h = home();
    fs.mkdirSync(path.join(h, 'config'));
    fs.writeFileSync(appConfigPath(h), '[grpc]\nenable = "yes"\n');
    expect(() => readAppConfig(h)).toThrow('[grpc] enable must be true or false');
  });
});

describe('app.toml [web] zone_rpcs', () => {
  it('defaults to none, round-trips, and refuses what is not a list of http URLs', () => {
    expect(readAppConfig(home()).webZoneRpcs).toEqual([]);
    const h = home();
    writeAppConfig(h, { ...DEFAULT_APP_CONFIG, webAddress: '127.0.0.1:26680', webZoneRpcs: ['http://127.0.0.1:26757'] });
    expect(readAppConfig(h)).toMatchObject({ webAddress: '127.0.0.1:26680', webZoneRpcs: ['http://127.0.0.1:26757'] });
    fs.writeFileSync(appConfigPath(h), '[web]\nzone_rpcs = "http://127.0.0.1:26757"\n');
    expect(() => readAppConfig(h)).toThrow('[web] zone_rpcs must be a list of http URLs');
    fs.writeFileSync(appConfigPath(h), '[web]\nzone_rpcs = ["127.0.0.1:26757"]\n');
    expect(() => readAppConfig(h)).toThrow('[web] zone_rpcs must be a list of http URLs');
  });
});

describe('app.toml index-events and [executor] min_parallel_txs', () => {
  it('writes index-events at the top, as the SDK, and reads it back; [] means every attribute', () => {
    const h = home();
    writeAppConfig(h, { ...DEFAULT_APP_CONFIG, indexEvents: ['message.sender', 'transfer.amount'], minParallelTxs: 64 });
    const text = fs.readFileSync(appConfigPath(h), 'utf8');
    expect(text).toMatch(/^index-events = \[ "message.sender", "transfer.amount" \]$/m);
    expect(text).toMatch(/\[executor\][^[]*min_parallel_txs = 64/);
    expect(readAppConfig(h)).toMatchObject({ indexEvents: ['message.sender', 'transfer.amount'], minParallelTxs: 64 });
    writeAppConfig(h, { ...DEFAULT_APP_CONFIG, indexEvents: [] });
    expect(readAppConfig(h).indexEvents).toEqual([]);
  });

  it('defaults to the searched-for keys and the core-count threshold (0) in an older app.toml', () => {
    const h = home();
    fs.mkdirSync(path.join(h, 'config'));
    fs.writeFileSync(appConfigPath(h), '[executor]\nmode = "parallel"\n');
    const config = readAppConfig(h);
    expect(config.indexEvents).toEqual(
      expect.arrayContaining(['message.sender', 'message.action', 'transfer.recipient', 'transfer.sender', 'tx.acc_seq', 'tx.signature']),
    );
    expect(config.minParallelTxs).toBe(0);
  });

  it('refuses an entry that is not type.attribute, naming the setting', () => {
    const h = home();
    fs.mkdirSync(path.join(h, 'config'));
    fs.writeFileSync(appConfigPath(h), 'index-events = ["message"]\n');
    expect(() => readAppConfig(h)).toThrow('index-events entry "message" is not "type.attribute"');
    fs.writeFileSync(appConfigPath(h), 'index-events = "message.sender"\n');
    expect(() => readAppConfig(h)).toThrow('index-events must be a list');
  });
});
