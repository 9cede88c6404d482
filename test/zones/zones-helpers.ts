/**
 * Two (or more) REAL Parazone zones for relayer tests: each its own chain id, app process and
 * CometBFT on loopback (test/helpers/chain.ts), plus `parazone relay` processes that a test can
 * SIGKILL. Custody trust for the first client ("07-tendermint-0", the one the relayer creates
 * first on a fresh zone) is written into the ibc genesis, so custody needs no governance round.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DirectSecp256k1HdWallet, type EncodeObject, type GeneratedType } from '@cosmjs/proto-signing';
import { MsgCommissionBatch, MsgCommissionUnits, MsgRegisterProduct } from '../../generated/parazone/drugregistry/v1/tx.js';
import { GasPrice, type SigningStargateClient, StargateClient, type DeliverTxResponse } from '@cosmjs/stargate';
import { SigningClient } from '../../app/signing-client.js';
import { repoRoot, fetchStatus } from '../../app/node/cometbft.js';
import { addGenesisAccount } from '../../app/node/genesis.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { custodyTrustKey } from '../../modules/ibc/index.js';
import { ibcRegistry, type PathConfig } from '../../app/relayer/index.js';
import { pollUntil, type Cleanup } from '../helpers/cleanup.js';
import { startTestChain, type TestChain } from '../helpers/chain.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export const DENOM = 'upara';
export const FUNDS = '1000000000000';
export const FIRST_CLIENT = '07-tendermint-0';
const config = makeChainConfig();

export interface ZoneParticipant {
  readonly wallet: DirectSecp256k1HdWallet;
  readonly address: string;
  readonly roles: string[];
  readonly companyPrefixes?: string[];
}

export interface TestZone {
  readonly chain: TestChain;
  readonly chainId: string;
  readonly rpc: string;
  readonly participants: ZoneParticipant[];
  balance(address: string, denom: string): Promise<bigint>;
  allBalances(address: string): Promise<{ denom: string; amount: string }[]>;
  /** Signs `msgs` with a keyring key (or a wallet) and waits for the block; fee fixed. */
  send(from: string | DirectSecp256k1HdWallet, msgs: EncodeObject[]): Promise<DeliverTxResponse>;
  latestTimeSeconds(): Promise<bigint>;
}

export async function participant(roles: string[], companyPrefixes?: string[]): Promise<ZoneParticipant> {
  const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: config.bech32Prefix });
  const [acc] = await wallet.getAccounts();
  return { wallet, address: acc!.address, roles, companyPrefixes };
}

export const FEE = { amount: [{ denom: DENOM, amount: '25000' }], gas: '1000000' };

export async function startZone(chainId: string, participants: ZoneParticipant[], cleanup: Cleanup): Promise<TestZone> {
  const chain = await startTestChain(
    {
      chainId,
      accounts: { relayer: `${FUNDS}${DENOM}`, relayer2: `${FUNDS}${DENOM}`, alice: `${FUNDS}${DENOM}`, bob: `${FUNDS}${DENOM}` },
      editAppState: (appState) => {
        let s = appState;
        for (const p of participants) s = addGenesisAccount(s, p.address, [{ denom: DENOM, amount: FUNDS }]);
        const dr = (s.drugregistry ?? {}) as { participants?: unknown[] };
        s.drugregistry = {
          ...dr,
          participants: [
            ...(dr.participants ?? []),
            ...participants.map((p) => ({
              address: p.address,
              roles: p.roles,
              name: `p-${p.address.slice(-6)}`,
              companyPrefixes: p.companyPrefixes ?? [],
              status: 'ACTIVE',
              registeredBy: config.addresses.moduleAddress('governance'),
              registeredAt: '2026-01-01T00:00:00.000Z',
            })),
          ],
        };
        s.ibc = { entries: [{ key: Buffer.from(custodyTrustKey(FIRST_CLIENT)).toString('hex'), value: '01' }] };
        return s;
      },
    },
    cleanup,
  );
  const query = await StargateClient.connect(chain.rpc);
  cleanup.add(`disconnect ${chainId} query client`, () => query.disconnect());
  const signers = new Map<unknown, { client: SigningStargateClient; address: string }>();
  const signerFor = async (from: string | DirectSecp256k1HdWallet) => {
    let s = signers.get(from);
    if (!s) {
      const wallet = typeof from === 'string' ? await chain.keyring.wallet(from) : from;
      const [acc] = await wallet.getAccounts();
      const client = await SigningClient.connectWithSigner(chain.rpc, wallet, {
        registry: ibcRegistryWithDrugs(),
        gasPrice: GasPrice.fromString(`0.025${DENOM}`),
        broadcastPollIntervalMs: 100,
      });
      cleanup.add(`disconnect ${chainId} signer`, () => client.disconnect());
      s = { client, address: acc!.address };
      signers.set(from, s);
    }
    return s;
  };
  return {
    chain,
    chainId,
    rpc: chain.rpc,
    participants,
    balance: async (address, denom) => BigInt((await query.getBalance(address, denom)).amount),
    allBalances: async (address) => [...(await query.getAllBalances(address))],
    async send(from, msgs) {
      const s = await signerFor(from);
      return s.client.signAndBroadcast(s.address, msgs, FEE);
    },
    async latestTimeSeconds() {
      const st = (await fetchStatus(chain.rpc)) as unknown as { sync_info: { latest_block_time: string } };
      return BigInt(Math.floor(new Date(st.sync_info.latest_block_time).getTime() / 1000));
    },
  };
}

/** The relayer registry plus the drugregistry Msgs (for the custody test's own txs). */
function ibcRegistryWithDrugs() {
  const registry = ibcRegistry();
  registry.register('/parazone.drugregistry.v1.MsgRegisterProduct', MsgRegisterProduct as GeneratedType);
  registry.register('/parazone.drugregistry.v1.MsgCommissionBatch', MsgCommissionBatch as GeneratedType);
  registry.register('/parazone.drugregistry.v1.MsgCommissionUnits', MsgCommissionUnits as GeneratedType);
  return registry;
}

/** Writes a path file for `keyName` (a key in both zones' keyrings) and returns its path. */
export function writePathFile(
  dir: string,
  name: string,
  a: TestZone,
  b: TestZone,
  keyName = 'relayer',
  extra: Partial<PathConfig> = {},
): string {
  const cfg: PathConfig = {
    a: { chainId: a.chainId, rpc: a.rpc, mnemonic: a.chain.keys[keyName]!.mnemonic },
    b: { chainId: b.chainId, rpc: b.rpc, mnemonic: b.chain.keys[keyName]!.mnemonic },
    pollMs: 100,
    ...extra,
  };
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

/** A `parazone relay --path <file>` process, logging pino JSON lines to a file. */
export class RelayerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {}

  static start(pathFile: string, logFile: string, cleanup: Cleanup): RelayerProcess {
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), 'relay', '--path', pathFile], {
      cwd: repoRoot(),
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    const proc = new RelayerProcess(child, logFile);
    cleanup.add(`stop relayer ${child.pid}`, () => proc.stop());
    return proc;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  lines(): Record<string, unknown>[] {
    if (!fs.existsSync(this.logFile)) return [];
    return fs
      .readFileSync(this.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }

  async waitForLog(msg: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return pollUntil(
      `relayer log "${msg}"`,
      () => {
        if (!this.alive) throw new Error(`relayer exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.log().slice(-3000)}`);
        return this.lines().find((l) => l.msg === msg);
      },
      timeoutMs,
      50,
    );
  }

  async kill(): Promise<void> {
    if (!this.alive) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}

export function tempDir(cleanup: Cleanup): string {
  const dir = makeTempDir('zones');
  cleanup.add('remove zones temp dir', () => dir.remove());
  return dir.path;
}
