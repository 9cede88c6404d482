/**
 * Cross-zone transfer latency and relay throughput on REAL zones:
 *   node --import tsx scripts/bench-zones.ts [--quick] [--pairs zones,simd] [--samples N] [--out bench/results/zones.json]
 * Pair "zones" brings up `parazone localnet --zones 2` in a temp home (two single-validator
 * zones, one `parazone relay` process), then:
 *  - latency: N sequential ICS-20 transfers zone 1 → zone 2, each timed from the block that
 *    committed the send to the block on zone 2 holding its receive, and to the block on zone 1
 *    holding its acknowledgement (block times and heights, found with tx_search on the ibc events);
 *  - throughput: a burst of P packets (txs of M MsgTransfer each), timed from the first send's
 *    block to the last receive's block and to the last ack's block.
 * Pair "simd" brings up `parazone localnet --peer simd` (a zone, ibc-go v10's simd, one relayer)
 * and measures the same latency both ways: zone → simd with our MsgTransfer, simd → zone with
 * ibc-go's MsgTransfer (sent as an IBC v2 packet).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DirectSecp256k1HdWallet, type EncodeObject } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { MsgTransferResponse as IbcGoMsgTransferResponse } from 'cosmjs-types/ibc/applications/transfer/v1/tx';
import { ibcRegistry } from '../app/relayer/index.js';
import { repoRoot } from '../app/node/cometbft.js';
import { SigningClient } from '../app/signing-client.js';
import { IbcTypeUrls } from '../modules/ibc/index.js';
import { MsgTransferResponse } from '../generated/parazone/ibc/v1/tx.js';
import type { ZonesLayout } from '../app/cli/commands/localnet-zones.js';
import type { PeerEndpoints } from '../app/cli/commands/localnet-peer.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const out = path.resolve(args.includes('--out') ? args[args.indexOf('--out') + 1]! : path.join(repoRoot(), 'bench/results/zones.json'));
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const pairs = (option('--pairs') ?? 'zones,simd').split(',');
const LATENCY_SAMPLES = option('--samples') !== undefined ? Number(option('--samples')) : quick ? 5 : 20;
const BURST_TXS = quick ? 2 : 10;
const MSGS_PER_TX = 40;
const CLIENT = '07-tendermint-0'; // the first client on a fresh zone: the localnet relayer's path

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => console.error(`bench:zones: ${s}`);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** `parazone localnet <flags>` in a temp home; `stop` ends it (SIGTERM) and removes the home. */
function startLocalnet(flags: string[]) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-bench-zones-'));
  const logFile = path.join(home, 'localnet.log');
  const fd = fs.openSync(logFile, 'a');
  const localnet = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), 'localnet', ...flags, '--home', home],
    { stdio: ['ignore', fd, fd] },
  );
  fs.closeSync(fd);
  const stop = async () => {
    if (localnet.exitCode === null) {
      const gone = new Promise((r) => localnet.once('exit', r));
      localnet.kill('SIGTERM');
      await Promise.race([gone, sleep(20_000)]);
    }
    if (process.env.PARAZONE_KEEP_BENCH_HOME === '1') log(`kept ${home}`);
    else fs.rmSync(home, { recursive: true, force: true });
  };
  /** The JSON file the localnet writes once everything runs. */
  const ready = <T>(file: string) =>
    until(
      file,
      async () => {
        if (localnet.exitCode !== null) throw new Error(`localnet exited:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
        return fs.existsSync(path.join(home, file)) ? (JSON.parse(fs.readFileSync(path.join(home, file), 'utf8')) as T) : undefined;
      },
      150_000,
      200,
    );
  return { home, stop, ready };
}

const blockTime = async (c: CometClient, h: number) => (await c.block(h)).block.header.time.getTime();

/** Height of the first successful tx with `event` for packet `seq` (a receive names the destination's client, an ack the source's). */
async function eventHeight(
  c: CometClient,
  event: 'recv_packet' | 'acknowledge_packet',
  seq: bigint,
  clientId: string,
): Promise<number | undefined> {
  const client = event === 'recv_packet' ? 'packet_dest_client' : 'packet_source_client';
  const res = await c.txSearch({ query: `${event}.packet_sequence='${seq}' AND ${event}.${client}='${clientId}'` });
  return res.txs.find((t) => t.result.code === 0)?.height;
}

interface LatencySample {
  sendHeight: number;
  recvHeight: number;
  ackHeight: number;
  recvSeconds: number;
  ackSeconds: number;
  dstBlocksToRecv: number;
  srcBlocksToAck: number;
}

/** `n` sequential packets from `src` to `dst`, each from its send block to its receive and its ack block. */
async function measureLatency(
  what: string,
  n: number,
  src: { comet: CometClient; client: string },
  dst: { comet: CometClient; client: string },
  send: () => Promise<{ height: number; sequence: bigint }>,
) {
  const samples: LatencySample[] = [];
  for (let i = 0; i < n; i++) {
    const dstHeightAtSend = (await dst.comet.status()).syncInfo.latestBlockHeight;
    const { height, sequence } = await send();
    const recvHeight = await until(`recv of ${sequence}`, () => eventHeight(dst.comet, 'recv_packet', sequence, dst.client));
    const ackHeight = await until(`ack of ${sequence}`, () => eventHeight(src.comet, 'acknowledge_packet', sequence, src.client));
    const t0 = await blockTime(src.comet, height);
    samples.push({
      sendHeight: height,
      recvHeight,
      ackHeight,
      recvSeconds: ((await blockTime(dst.comet, recvHeight)) - t0) / 1000,
      ackSeconds: ((await blockTime(src.comet, ackHeight)) - t0) / 1000,
      dstBlocksToRecv: recvHeight - dstHeightAtSend,
      srcBlocksToAck: ackHeight - height,
    });
    log(
      `${what} latency sample ${i + 1}: recv ${samples.at(-1)!.recvSeconds.toFixed(2)} s, ack ${samples.at(-1)!.ackSeconds.toFixed(2)} s`,
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    samples: samples.length,
    recvSecondsMedian: median(samples.map((s) => s.recvSeconds)),
    recvSecondsMax: Math.max(...samples.map((s) => s.recvSeconds)),
    ackSecondsMedian: median(samples.map((s) => s.ackSeconds)),
    ackSecondsMax: Math.max(...samples.map((s) => s.ackSeconds)),
    destinationBlocksToRecvMedian: median(samples.map((s) => s.dstBlocksToRecv)),
    sourceBlocksToAckMedian: median(samples.map((s) => s.srcBlocksToAck)),
    raw: samples,
  };
}

const LATENCY_DEFINITIONS = {
  recvSeconds: 'block time of the destination block holding the MsgRecvPacket minus block time of the source block that committed the send',
  ackSeconds: 'block time of the source block holding the MsgAcknowledgement minus the send block time',
  destinationBlocksToRecv: 'destination height of the receive minus destination latest height just before the send was broadcast',
  sourceBlocksToAck: 'source height of the ack minus source height of the send',
};

/** Pair "zones": latency zone 1 → zone 2 and a burst's throughput. */
async function benchZones() {
  const localnet = startLocalnet(['--zones', '2']);
  try {
    const layout = await localnet.ready<ZonesLayout>('zones.json');
    const [z1, z2] = layout.zones as [ZonesLayout['zones'][number], ZonesLayout['zones'][number]];
    await until(
      'relayer relaying',
      async () => (fs.readFileSync(layout.relayers[0]!.log, 'utf8').includes('"msg":"relaying"') ? true : undefined),
      60_000,
      200,
    );
    log(`zones ${z1.chainId} and ${z2.chainId} up, relayer relaying`);

    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(z1.faucet.mnemonic, { prefix: z1.bech32Prefix });
    const sender = z1.faucet.address;
    const signer = await SigningStargateClient.connectWithSigner(z1.rpc, wallet, {
      registry: ibcRegistry(),
      gasPrice: GasPrice.fromString(z1.gasPrice),
      broadcastPollIntervalMs: 50,
    });
    const c1 = await connectComet(z1.rpc);
    const c2 = await connectComet(z2.rpc);
    const transfers = (n: number, timeout: bigint): EncodeObject[] =>
      Array.from({ length: n }, () => ({
        typeUrl: IbcTypeUrls.transfer,
        value: {
          sender,
          receiver: z2.faucet.address,
          token: { denom: z1.denom, amount: '1' },
          sourceClient: CLIENT,
          timeoutTimestamp: timeout,
          memo: '',
        },
      }));
    const send = async (n: number) => {
      const timeout = BigInt(Math.floor(Date.now() / 1000) + 3600);
      const res = await signer.signAndBroadcast(sender, transfers(n, timeout), {
        amount: [{ denom: z1.denom, amount: String(Math.ceil(n * 100_000 * 0.025) + 5000) }],
        gas: String(n * 100_000 + 200_000),
      });
      if (res.code !== 0) throw new Error(`send failed: ${res.rawLog}`);
      return { height: res.height, sequences: res.msgResponses.map((r) => MsgTransferResponse.decode(r.value).sequence) };
    };

    // ---------------------------------------------------------------- latency
    const latency = await measureLatency(
      'zones',
      LATENCY_SAMPLES,
      { comet: c1, client: CLIENT },
      { comet: c2, client: CLIENT },
      async () => {
        const { height, sequences } = await send(1);
        return { height, sequence: sequences[0]! };
      },
    );

    // ---------------------------------------------------------------- throughput
    // Signed offline with consecutive account sequences and broadcast at once, so the burst lands
    // in one or two blocks and the figure measures the relayer, not the sender's pace.
    const account = await signer.getSequence(sender);
    const timeout = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const fee = {
      amount: [{ denom: z1.denom, amount: String(Math.ceil(MSGS_PER_TX * 100_000 * 0.025) + 5000) }],
      gas: String(MSGS_PER_TX * 100_000 + 200_000),
    };
    const raws = await Promise.all(
      Array.from({ length: BURST_TXS }, (_, i) =>
        signer.sign(sender, transfers(MSGS_PER_TX, timeout), fee, '', {
          accountNumber: account.accountNumber,
          sequence: account.sequence + i,
          chainId: z1.chainId,
        }),
      ),
    );
    const { TxRaw } = await import('cosmjs-types/cosmos/tx/v1beta1/tx');
    const hashes = [];
    for (const raw of raws) hashes.push(await signer.broadcastTxSync(TxRaw.encode(raw).finish()));
    const burst = await Promise.all(
      hashes.map(async (hash) => {
        const tx = await until(`burst tx ${hash}`, () => signer.getTx(hash).then((t) => t ?? undefined), 60_000, 100);
        if (tx.code !== 0) throw new Error(`burst tx failed: ${tx.rawLog}`);
        return { height: tx.height, sequences: tx.msgResponses.map((r) => MsgTransferResponse.decode(r.value).sequence) };
      }),
    );
    burst.sort((a, b) => a.height - b.height);
    const all = burst.flatMap((b) => b.sequences);
    const lastSeq = all.reduce((a, b) => (a > b ? a : b));
    // Packets are relayed in sequence order per round, so the last sequence's events come last.
    const recvHeights = await until(
      'every burst packet received',
      async () => {
        const hs = await Promise.all(all.map((s) => eventHeight(c2, 'recv_packet', s, CLIENT)));
        return hs.every((h) => h !== undefined) ? (hs as number[]) : undefined;
      },
      120_000,
      250,
    );
    const ackHeights = await until(
      'every burst packet acknowledged',
      async () => {
        const hs = await Promise.all(all.map((s) => eventHeight(c1, 'acknowledge_packet', s, CLIENT)));
        return hs.every((h) => h !== undefined) ? (hs as number[]) : undefined;
      },
      120_000,
      250,
    );
    const tFirstSend = await blockTime(c1, burst[0]!.height);
    const tLastRecv = await blockTime(c2, Math.max(...recvHeights));
    const tFirstRecv = await blockTime(c2, Math.min(...recvHeights));
    const tLastAck = await blockTime(c1, Math.max(...ackHeights));
    const throughput = {
      packets: all.length,
      sendTxs: BURST_TXS,
      sendBlocks: new Set(burst.map((b) => b.height)).size,
      msgsPerSendTx: MSGS_PER_TX,
      lastSequence: lastSeq.toString(),
      firstSendToLastRecvSeconds: (tLastRecv - tFirstSend) / 1000,
      firstSendToLastAckSeconds: (tLastAck - tFirstSend) / 1000,
      recvTxBlocks: new Set(recvHeights).size,
      ackTxBlocks: new Set(ackHeights).size,
      receivedPerSecond: all.length / Math.max(0.001, (tLastRecv - tFirstSend) / 1000),
      receivedPerSecondRelayWindow: all.length / Math.max(0.001, (tLastRecv - tFirstRecv) / 1000 || (await blockInterval(c2))),
      roundTripsPerSecond: all.length / Math.max(0.001, (tLastAck - tFirstSend) / 1000),
    };
    log(
      `burst of ${all.length}: all received ${throughput.firstSendToLastRecvSeconds.toFixed(2)} s, all acked ${throughput.firstSendToLastAckSeconds.toFixed(2)} s after the first send`,
    );
    signer.disconnect();
    c1.disconnect();
    c2.disconnect();
    return {
      setup:
        'parazone localnet --zones 2: two single-validator zones (CometBFT timeout_commit 300ms, timeout_propose 1s) on loopback, one `parazone relay` process (pollMs 200, one relayer key per zone), ICS-20 transfers zone 1 → zone 2',
      definitions: {
        ...LATENCY_DEFINITIONS,
        receivedPerSecond: 'burst packets / (last receive block time - first send block time)',
        receivedPerSecondRelayWindow:
          'burst packets / (last receive block time - first receive block time), or one block interval if all landed in one block',
      },
      latency,
      throughput,
    };
  } finally {
    await localnet.stop();
  }
}

/** Pair "simd": latency zone → simd and simd → zone, through `localnet --peer simd`. */
async function benchSimd() {
  const localnet = startLocalnet(['--peer', 'simd']);
  try {
    const ep = await localnet.ready<PeerEndpoints>('endpoints.json');
    await until(
      'relayer relaying',
      async () => (fs.readFileSync(ep.relayer.log, 'utf8').includes('"msg":"relaying"') ? true : undefined),
      60_000,
      200,
    );
    log(`zone ${ep.zone.chainId} and simd ${ep.simd.chainId} up, relayer relaying`);
    const zoneComet = await connectComet(ep.zone.rpc);
    const simdComet = await connectComet(ep.simd.rpc);
    const zoneSigner = await SigningClient.connectWithSigner(
      ep.zone.rpc,
      await DirectSecp256k1HdWallet.fromMnemonic(ep.zone.faucet.mnemonic, { prefix: ep.zone.bech32Prefix }),
      { registry: ibcRegistry(), gasPrice: GasPrice.fromString(ep.zone.gasPrice), broadcastPollIntervalMs: 50 },
    );
    const simdSigner = await SigningClient.connectWithSigner(
      ep.simd.rpc,
      await DirectSecp256k1HdWallet.fromMnemonic(ep.simd.faucet.mnemonic, { prefix: ep.simd.bech32Prefix }),
      { registry: ibcRegistry(), gasPrice: GasPrice.fromString(ep.simd.gasPrice), broadcastPollIntervalMs: 50 },
    );
    const zoneEnd = { comet: zoneComet, client: ep.relayer.clientOnZone };
    const simdEnd = { comet: simdComet, client: ep.relayer.clientOnSimd };
    const timeout = () => BigInt(Math.floor(Date.now() / 1000) + 600);
    const sent = (
      res: { code: number; rawLog?: string; height: number; msgResponses: readonly { value: Uint8Array }[] },
      decode: (b: Uint8Array) => { sequence: bigint },
    ) => {
      if (res.code !== 0) throw new Error(`send failed: ${res.rawLog}`);
      return { height: res.height, sequence: decode(res.msgResponses[0]!.value).sequence };
    };
    const zoneToSimd = await measureLatency('zone → simd', LATENCY_SAMPLES, zoneEnd, simdEnd, async () => {
      const msg = {
        typeUrl: IbcTypeUrls.transfer,
        value: {
          sender: ep.zone.faucet.address,
          receiver: ep.simd.faucet.address,
          token: { denom: ep.zone.denom, amount: '1' },
          sourceClient: ep.relayer.clientOnZone,
          timeoutTimestamp: timeout(),
          memo: '',
        },
      };
      return sent(await zoneSigner.signAndBroadcast(ep.zone.faucet.address, [msg], 1.5), (b) => MsgTransferResponse.decode(b));
    });
    // ibc-go's MsgTransfer on a client id (no v1 channel of that name) is an IBC v2 send; its timeout is then in seconds.
    const simdToZone = await measureLatency('simd → zone', LATENCY_SAMPLES, simdEnd, zoneEnd, async () => {
      const msg = {
        typeUrl: '/ibc.applications.transfer.v1.MsgTransfer',
        value: {
          sourcePort: 'transfer',
          sourceChannel: ep.relayer.clientOnSimd,
          token: { denom: ep.simd.denom, amount: '1' },
          sender: ep.simd.faucet.address,
          receiver: ep.zone.faucet.address,
          timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n },
          timeoutTimestamp: timeout(),
          memo: '',
        },
      };
      return sent(await simdSigner.signAndBroadcast(ep.simd.faucet.address, [msg], 1.5), (b) => IbcGoMsgTransferResponse.decode(b));
    });
    for (const c of [zoneSigner, simdSigner, zoneComet, simdComet]) c.disconnect();
    return {
      setup:
        'parazone localnet --peer simd: one zone (CometBFT timeout_commit 300ms, timeout_propose 1s) and simd (ibc-go v10.7.0 simapp under its own CometBFT, timeout_commit 300ms) on loopback, one `parazone relay` process (pollMs 200), ICS-20 transfers of 1 unit, one at a time',
      definitions: LATENCY_DEFINITIONS,
      zoneToSimd,
      simdToZone,
    };
  } finally {
    await localnet.stop();
  }
}

const results: Record<string, unknown> = {};
if (pairs.includes('zones')) Object.assign(results, await benchZones());
if (pairs.includes('simd')) results.simd = await benchSimd();
const report = {
  command: `node --import tsx scripts/bench-zones.ts${args.length ? ` ${args.join(' ')}` : ''}`,
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverageAtEnd: os.loadavg() },
  ...results,
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
const withoutRaw = (l: unknown) => (l && typeof l === 'object' ? { ...l, raw: undefined } : l);
const simd = results.simd as { zoneToSimd?: unknown; simdToZone?: unknown } | undefined;
console.log(
  JSON.stringify(
    {
      latency: withoutRaw(results.latency),
      throughput: results.throughput,
      simd: simd && { zoneToSimd: withoutRaw(simd.zoneToSimd), simdToZone: withoutRaw(simd.simdToZone) },
    },
    null,
    2,
  ),
);
log(`wrote ${out}`);

async function blockInterval(c: CometClient): Promise<number> {
  const h = (await c.status()).syncInfo.latestBlockHeight;
  return ((await c.block(h)).block.header.time.getTime() - (await c.block(h - 1)).block.header.time.getTime()) / 1000;
}
