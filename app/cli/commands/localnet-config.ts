import fs from 'node:fs';
import { parse } from 'smol-toml';

/** What a new localnet is made with; see `parazone localnet --help`. */
export interface LocalnetSettings {
  readonly chainId: string;
  readonly validators: number;
  /**
   * Governance periods in seconds. The localnet's default of 60 s each (the chain's own defaults
   * are the SDK's 2 and 5 days) leaves time to deposit and vote by hand with a few CLI calls and
   * still shows the outcome within a minute or two.
   */
  readonly votingPeriod: number;
  readonly depositPeriod: number;
  readonly demo: boolean;
}

export const LOCALNET_DEFAULTS: LocalnetSettings = {
  chainId: 'parazone-local',
  validators: 1,
  votingPeriod: 60,
  depositPeriod: 60,
  demo: false,
};

interface Flags {
  config?: string;
  chainId?: string;
  validators?: string;
  votingPeriod?: string;
  depositPeriod?: string;
  demo?: boolean;
}

const FILE_KEYS = ['chain_id', 'validators', 'voting_period', 'deposit_period', 'demo'];

/**
 * The settings from flags, else the --config TOML file, else the defaults. The file holds the same
 * names in snake_case, e.g. `voting_period = 30` and `demo = true`.
 */
export function readLocalnetConfig(flags: Flags): LocalnetSettings {
  let file: Record<string, unknown> = {};
  if (flags.config) {
    try {
      file = parse(fs.readFileSync(flags.config, 'utf8'));
    } catch (err) {
      throw new Error(`--config ${flags.config}: ${(err as Error).message}`);
    }
    const unknown = Object.keys(file).filter((k) => !FILE_KEYS.includes(k));
    if (unknown.length > 0)
      throw new Error(`--config ${flags.config}: unknown setting(s) ${unknown.join(', ')}; known: ${FILE_KEYS.join(', ')}`);
  }
  const pick = (flag: unknown, key: string) => (flag !== undefined ? flag : file[key]);
  const settings: LocalnetSettings = {
    chainId: String(pick(flags.chainId, 'chain_id') ?? LOCALNET_DEFAULTS.chainId),
    validators: integer('validators', pick(flags.validators, 'validators') ?? LOCALNET_DEFAULTS.validators, 1, 16),
    votingPeriod: integer('voting period', pick(flags.votingPeriod, 'voting_period') ?? LOCALNET_DEFAULTS.votingPeriod, 1, 365 * 86_400),
    depositPeriod: integer(
      'deposit period',
      pick(flags.depositPeriod, 'deposit_period') ?? LOCALNET_DEFAULTS.depositPeriod,
      1,
      365 * 86_400,
    ),
    demo: boolean('demo', pick(flags.demo, 'demo') ?? LOCALNET_DEFAULTS.demo),
  };
  return settings;
}

function integer(name: string, value: unknown, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${String(value)}"`);
  return n;
}

function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`${name} must be true or false, got "${String(value)}"`);
  return value;
}
