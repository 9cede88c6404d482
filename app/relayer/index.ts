/** Public surface of the relayer: run one path between two Parazone zones (`parazone relay`). */
import { pino, type Logger } from 'pino';
import { readPathConfig, type ResolvedPathConfig } from './config.js';
import { Relayer } from './relayer.js';
import { RpcChainEnd } from './rpc-end.js';
import { ensurePath, findPath, type PathEnds } from './setup.js';
import { ZoneClient } from './zone-client.js';

export { readPathConfig, resolvePathConfig, type PathConfig, type ResolvedPathConfig, type ZoneEndpointConfig } from './config.js';
export { Relayer, type End, type RoundStats } from './relayer.js';
export { ensurePath, findPath, clientParams, createClientMsg, type PathEnds } from './setup.js';
export { ZoneClient, QueryError } from './zone-client.js';
export type { ChainEnd, SubmitResult } from './chain-end.js';
export { RpcChainEnd } from './rpc-end.js';
export { ibcRegistry } from './registry.js';

export interface ConnectedPath {
  readonly a: ZoneClient;
  readonly b: ZoneClient;
  readonly ends: PathEnds;
  readonly relayer: Relayer;
  close(): void;
}

/** Connects to both zones and finds (or, with `create`, makes) the path's clients. */
export async function connectPath(config: ResolvedPathConfig, log: Logger, options: { create?: boolean } = {}): Promise<ConnectedPath> {
  const [a, b] = await Promise.all([ZoneClient.connect(config.a), ZoneClient.connect(config.b)]);
  try {
    log.info({ a: { chainId: a.chainId, relayer: a.address }, b: { chainId: b.chainId, relayer: b.address } }, 'connected');
    const ends = options.create === false ? await requirePath(a, b) : await ensurePath(a, b, config.trustingPeriodSeconds, log);
    return {
      a,
      b,
      ends,
      relayer: new Relayer(new RpcChainEnd(a), new RpcChainEnd(b), ends, log),
      close: () => (a.disconnect(), b.disconnect()),
    };
  } catch (err) {
    a.disconnect();
    b.disconnect();
    throw err;
  }
}

async function requirePath(a: ZoneClient, b: ZoneClient): Promise<PathEnds> {
  const ends = await findPath(a, b);
  if (!ends) throw new Error(`no path between ${a.chainId} and ${b.chainId}; run \`parazone relay --path <file> setup\` first`);
  return ends;
}

/**
 * `parazone relay --path <file>`: set up the path if needed, then relay until SIGINT/SIGTERM.
 * Connection failures at start are retried (the zones may still be starting).
 */
export async function runRelayer(
  pathFile: string,
  options: { once?: boolean; setupOnly?: boolean; logLevel?: string } = {},
): Promise<void> {
  const log = pino({ level: options.logLevel ?? process.env.PARAZONE_RELAYER_LOG ?? 'info', base: { svc: 'relayer' } });
  const config = readPathConfig(pathFile);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let path: ConnectedPath | undefined;
  for (let attempt = 1; path === undefined && !stop.signal.aborted; attempt++) {
    try {
      path = await connectPath(config, log);
    } catch (err) {
      if (attempt >= 30) throw err;
      log.warn({ err: (err as Error).message, attempt }, 'cannot set up the path yet; retrying');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  if (path === undefined) return;
  try {
    if (options.setupOnly) {
      console.log(
        JSON.stringify({
          a: { chainId: path.a.chainId, clientId: path.ends.clientOnA },
          b: { chainId: path.b.chainId, clientId: path.ends.clientOnB },
        }),
      );
      return;
    }
    if (options.once) {
      log.info(await path.relayer.relayOnce(), 'round');
      return;
    }
    log.info({ ...path.ends, pollMs: config.pollMs }, 'relaying');
    await path.relayer.run(stop.signal, config.pollMs);
    log.info('stopped');
  } finally {
    path.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
