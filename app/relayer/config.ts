/**
 * A relayer path file: the two zones of one path, how to reach them and the key that pays for the
 * relayed txs on each. Nothing else: client ids are found on the chains (see setup.ts), so a path
 * file never goes stale and two relayers may share one.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What runs at an end: a Parazone zone, or a Cosmos SDK chain with ibc-go v10 (IBC v2). */
export type ChainKind = 'parazone' | 'ibc-go';

export interface ZoneEndpointConfig {
  readonly chainId: string;
  /** Default "parazone"; "ibc-go" for a Cosmos SDK chain such as ibc-go's simd. */
  readonly kind?: ChainKind;
  /** CometBFT RPC, e.g. http://127.0.0.1:26657 */
  readonly rpc: string;
  /** The relayer key's BIP-39 mnemonic on this zone, inline or from a file (mnemonicFile wins). */
  readonly mnemonic?: string;
  readonly mnemonicFile?: string;
  /** bech32 prefix of the zone's addresses (default "para"; "cosmos" for ibc-go). */
  readonly prefix?: string;
  /** Gas price paid by the relayer (default "0.025upara"; "0.025stake" for ibc-go). */
  readonly gasPrice?: string;
}

export interface PathConfig {
  readonly a: ZoneEndpointConfig;
  readonly b: ZoneEndpointConfig;
  /** Pause between relay rounds (default 300 ms). */
  readonly pollMs?: number;
  /** Trusting period of clients the relayer creates (default 14 days). */
  readonly trustingPeriodSeconds?: number;
}

export interface ResolvedZoneConfig {
  readonly chainId: string;
  readonly kind: ChainKind;
  readonly rpc: string;
  readonly mnemonic: string;
  readonly prefix: string;
  readonly gasPrice: string;
}

function resolveZone(z: ZoneEndpointConfig | undefined, which: string, baseDir: string): ResolvedZoneConfig {
  if (z === undefined || typeof z !== 'object') throw new Error(`path config: "${which}" is missing`);
  if (typeof z.chainId !== 'string' || z.chainId === '') throw new Error(`path config: ${which}.chainId is required`);
  if (typeof z.rpc !== 'string' || !/^https?:\/\//.test(z.rpc)) throw new Error(`path config: ${which}.rpc must be an http(s) URL`);
  let mnemonic = z.mnemonic;
  if (z.mnemonicFile !== undefined) mnemonic = fs.readFileSync(path.resolve(baseDir, z.mnemonicFile), 'utf8');
  if (typeof mnemonic !== 'string' || mnemonic.trim().split(/\s+/).length < 12) {
    throw new Error(`path config: ${which} needs the relayer key as "mnemonic" or "mnemonicFile" (12 or 24 words)`);
  }
  const kind = z.kind ?? 'parazone';
  if (kind !== 'parazone' && kind !== 'ibc-go') throw new Error(`path config: ${which}.kind must be "parazone" or "ibc-go"`);
  const defaults = kind === 'ibc-go' ? { prefix: 'cosmos', gasPrice: '0.025stake' } : { prefix: 'para', gasPrice: '0.025upara' };
  return {
    chainId: z.chainId,
    kind,
    rpc: z.rpc.replace(/\/$/, ''),
    mnemonic: mnemonic.trim(),
    prefix: z.prefix ?? defaults.prefix,
    gasPrice: z.gasPrice ?? defaults.gasPrice,
  };
}

export interface ResolvedPathConfig {
  readonly a: ResolvedZoneConfig;
  readonly b: ResolvedZoneConfig;
  readonly pollMs: number;
  readonly trustingPeriodSeconds: number;
}

export function resolvePathConfig(raw: PathConfig, baseDir = process.cwd()): ResolvedPathConfig {
  const a = resolveZone(raw.a, 'a', baseDir);
  const b = resolveZone(raw.b, 'b', baseDir);
  if (a.chainId === b.chainId) throw new Error(`path config: both ends are ${a.chainId}; a path joins two different zones`);
  if (a.kind === 'ibc-go' && b.kind === 'ibc-go')
    throw new Error('path config: at least one end must be a Parazone zone (use an ibc-go relayer between two ibc-go chains)');
  const pollMs = raw.pollMs ?? 300;
  const trustingPeriodSeconds = raw.trustingPeriodSeconds ?? 14 * 24 * 3600;
  if (!Number.isFinite(pollMs) || pollMs < 0) throw new Error('path config: pollMs must be ≥ 0');
  if (!Number.isInteger(trustingPeriodSeconds) || trustingPeriodSeconds < 60)
    throw new Error('path config: trustingPeriodSeconds must be an integer ≥ 60');
  return { a, b, pollMs, trustingPeriodSeconds };
}

export function readPathConfig(file: string): ResolvedPathConfig {
  let raw: PathConfig;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as PathConfig;
  } catch (err) {
    throw new Error(`cannot read path config ${file}: ${(err as Error).message}`);
  }
  return resolvePathConfig(raw, path.dirname(path.resolve(file)));
}
