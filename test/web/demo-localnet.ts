/**
 * `parazone localnet` in a temporary home on free ports (the localnet picks them), stopped by
 * `cleanup`: `--demo` with short governance periods (resolves once endpoints.json names the web
 * page), or `--zones N` (resolves once zones.json is written).
 */
import type { Endpoints } from '../../app/cli/commands/localnet.js';
import type { ZonesLayout } from '../../app/cli/commands/localnet-zones.js';
import type { Cleanup } from '../helpers/cleanup.js';
import { spawnLocalnet } from '../helpers/localnet.js';

export interface DemoLocalnet {
  readonly home: string;
  readonly endpoints: Endpoints & { web: string; demo: NonNullable<Endpoints['demo']> };
  readonly log: () => string;
}

export interface ZonesLocalnet {
  readonly home: string;
  readonly layout: ZonesLayout;
  readonly log: () => string;
}

export async function startDemoLocalnet(cleanup: Cleanup, votingSeconds: number): Promise<DemoLocalnet> {
  const period = String(votingSeconds);
  const net = spawnLocalnet(cleanup, ['--demo', '--voting-period', period, '--deposit-period', period]);
  const endpoints = await net.waitForJson<DemoLocalnet['endpoints']>('endpoints.json');
  if (!endpoints.web || !endpoints.demo)
    throw new Error(`the demo localnet announced no web page or no demo keys:\n${JSON.stringify(endpoints)}`);
  return { home: net.home, endpoints, log: net.log };
}

export async function startZonesLocalnet(cleanup: Cleanup, zones: number): Promise<ZonesLocalnet> {
  const net = spawnLocalnet(cleanup, ['--zones', String(zones)]);
  const layout = await net.waitForJson<ZonesLayout>('zones.json');
  for (const z of layout.zones) if (!z.web) throw new Error(`zone ${z.chainId} announced no web page:\n${JSON.stringify(z)}`);
  return { home: net.home, layout, log: net.log };
}
