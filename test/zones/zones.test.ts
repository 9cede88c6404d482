/**
 * The relayer process (`parazone relay`) between two REAL zones: two single-validator Parazone
 * chains (app process + CometBFT each, own chain id, loopback, temp homes). Tokens out and back,
 * a timeout with its refund, an error acknowledgement with its refund, drug custody across zones,
 * a SIGKILL mid-flight with every packet delivered exactly once after the restart, two racing
 * relayers, a forged proof and a forged header refused, and misbehaviour freezing a client.
 * Needs .tools/bin/cometbft: without it the suite fails, it never skips.
 */
import fs from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Header as TmHeader } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { TestValidatorKey, resign } from '../../modules/ibc/light-clients/07-tendermint/test-signer.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgRecvPacket } from 'cosmjs-types/ibc/core/channel/v2/tx';
import { QueryClientStateRequest, QueryClientStateResponse } from 'cosmjs-types/ibc/core/client/v1/query';
import { ClientState } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import {
  QueryUnitHistoryRequest,
  QueryUnitHistoryResponse,
  QueryUnitRequest,
  QueryUnitResponse,
} from '../../generated/parazone/drugregistry/v1/query.js';
import { QueryPendingPacketsRequest, QueryPendingPacketsResponse } from '../../generated/parazone/ibc/v1/query.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { assertPinnedCometbft, locateCometbft, repoRoot } from '../../app/node/cometbft.js';
import { connectPath, readPathConfig, type ConnectedPath } from '../../app/relayer/index.js';
import { IbcTypeUrls, packetCommitmentKey } from '../../modules/ibc/index.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import {
  DENOM,
  FEE,
  RelayerProcess,
  participant,
  startZone,
  tempDir,
  writePathFile,
  type TestZone,
  type ZoneParticipant,
} from './zones-helpers.js';

const T = 60_000;
const cleanup = cleanupAfterAll();
const execFileAsync = promisify(execFile);
const GTIN = '00312345678906';
const WAIT = 30_000;

let z1: TestZone;
let z2: TestZone;
let dir: string;
let pathFile: string;
let path: ConnectedPath;
let maker: ZoneParticipant;
let wholesaler: ZoneParticipant;
let relayerLogs = 0;

const addr = (z: TestZone, key: string) => z.chain.keys[key]!.address;
const fee = BigInt(FEE.amount[0]!.amount);

function transferMsg(
  z: TestZone,
  from: string,
  to: string,
  sourceClient: string,
  amount: string,
  denom: string,
  timeoutTimestamp: bigint,
): EncodeObject {
  return {
    typeUrl: IbcTypeUrls.transfer,
    value: { sender: from, receiver: to, token: { denom, amount }, sourceClient, timeoutTimestamp, memo: '' },
  };
}

async function pending(z: TestZone, clientId: string): Promise<Packet[]> {
  const zone = z === z1 ? path.a : path.b;
  return (
    await zone.query('/parazone.ibc.v1.Query/PendingPackets', QueryPendingPacketsRequest, QueryPendingPacketsResponse, { clientId })
  ).packets.map((p) => Packet.decode(p));
}

async function noPending(): Promise<void> {
  await pollUntil(
    'no packets in flight on either zone',
    async () =>
      (await pending(z1, path.ends.clientOnA)).length === 0 && (await pending(z2, path.ends.clientOnB)).length === 0 ? true : undefined,
    WAIT,
    100,
  );
}

function startRelayer(file = pathFile): RelayerProcess {
  return RelayerProcess.start(file, `${dir}/relayer-${relayerLogs++}.log`, cleanup);
}

function expectTx(res: { code: number; rawLog?: string }, what: string): void {
  if (res.code !== 0) throw new Error(`${what} failed (${res.code}): ${res.rawLog}`);
}

beforeAll(async () => {
  locateCometbft();
  await assertPinnedCometbft();
  dir = tempDir(cleanup);
  maker = await participant(['MANUFACTURER'], ['0312345']);
  wholesaler = await participant(['WHOLESALER']);
  [z1, z2] = await Promise.all([startZone('zone-1', [maker], cleanup), startZone('zone-2', [wholesaler], cleanup)]);
  pathFile = writePathFile(dir, 'path', z1, z2);
  // The path is set up by the library (what `parazone relay --setup` runs); processes find it on chain.
  path = await connectPath(readPathConfig(pathFile), pino({ level: 'warn' }));
  cleanup.add('disconnect path', () => path.close());
}, 120_000);

test(
  'setup created and paired the first clients; a second setup finds the same path',
  async () => {
    expect(path.ends).toEqual({ clientOnA: '07-tendermint-0', clientOnB: '07-tendermint-0' });
    const again = await connectPath(readPathConfig(pathFile), pino({ level: 'warn' }), { create: false });
    again.close();
    expect(again.ends).toEqual(path.ends);
    // The CLI's setup step finds the same path (and creates nothing).
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', 'app/cli/main.ts', 'relay', '--path', pathFile, '--setup', '--log-level', 'warn'],
      { cwd: repoRoot(), timeout: 30_000 },
    );
    expect(JSON.parse(stdout.trim())).toEqual({
      a: { chainId: 'zone-1', clientId: path.ends.clientOnA },
      b: { chainId: 'zone-2', clientId: path.ends.clientOnB },
    });
  },
  T,
);

test(
  'tokens go out to zone-2 and back home through the relayer process',
  async () => {
    const relayer = startRelayer();
    try {
      const alice = addr(z1, 'alice');
      const bob = addr(z2, 'bob');
      const aliceBefore = await z1.balance(alice, DENOM);
      const timeout = (await z1.latestTimeSeconds()) + 600n;
      expectTx(await z1.send('alice', [transferMsg(z1, alice, bob, path.ends.clientOnA, '1000', DENOM, timeout)]), 'transfer out');
      const voucher = await pollUntil(
        'bob holds the voucher',
        async () => (await z2.allBalances(bob)).find((c) => c.denom.startsWith('ibc/') && c.amount === '1000')?.denom,
        WAIT,
      );
      await noPending();
      expect(await z1.balance(alice, DENOM)).toBe(aliceBefore - 1000n - fee);

      // And back: the voucher is burnt on zone-2, the escrow releases on zone-1.
      expectTx(
        await z2.send('bob', [transferMsg(z2, bob, alice, path.ends.clientOnB, '1000', voucher, (await z2.latestTimeSeconds()) + 600n)]),
        'transfer back',
      );
      await pollUntil(
        'alice has her tokens back',
        async () => ((await z1.balance(alice, DENOM)) === aliceBefore - fee ? true : undefined),
        WAIT,
      );
      await noPending();
      expect(await z2.balance(bob, voucher)).toBe(0n);
      expect(relayer.alive).toBe(true);
      expect(relayer.lines().some((l) => l.msg === 'path found on chain')).toBe(true);
    } finally {
      await relayer.stop();
    }
  },
  T,
);

test(
  'a packet nobody relays in time times out and is refunded',
  async () => {
    // No relayer runs while the timeout passes; the one started afterwards proves the receipt's absence.
    const alice = addr(z1, 'alice');
    const bob = addr(z2, 'bob');
    const before = await z1.balance(alice, DENOM);
    const timeout = (await z2.latestTimeSeconds()) + 3n;
    expectTx(await z1.send('alice', [transferMsg(z1, alice, bob, path.ends.clientOnA, '777', DENOM, timeout)]), 'transfer');
    expect(await z1.balance(alice, DENOM)).toBe(before - 777n - fee);
    await pollUntil('zone-2 past the timeout', async () => ((await z2.latestTimeSeconds()) > timeout ? true : undefined), WAIT, 200);
    const relayer = startRelayer();
    try {
      await relayer.waitForLog('timedOut', WAIT);
      await noPending();
      expect(await z1.balance(alice, DENOM)).toBe(before - fee);
      expect((await z2.allBalances(bob)).filter((c) => c.denom.startsWith('ibc/') && c.amount !== '0')).toEqual([]);
      expect(relayer.lines().some((l) => l.msg === 'received')).toBe(false);
    } finally {
      await relayer.stop();
    }
  },
  T,
);

test(
  'drug units cross to zone-2 with their history; the source marks them EXPORTED on the ack',
  async () => {
    const DR = '/parazone.drugregistry.v1.';
    expectTx(
      await z1.send(maker.wallet, [
        {
          typeUrl: DR + 'MsgRegisterProduct',
          value: {
            signer: maker.address,
            gtin: GTIN,
            name: 'Examplamab',
            strength: '10 mg',
            dosageForm: 'tablet',
            packSize: '30',
            packagingLevel: 'UNIT',
          },
        },
        { typeUrl: DR + 'MsgCommissionBatch', value: { signer: maker.address, gtin: GTIN, lot: 'LOT1', expiry: '301231' } },
        { typeUrl: DR + 'MsgCommissionUnits', value: { signer: maker.address, gtin: GTIN, lot: 'LOT1', serials: ['S1', 'S2', 'S3'] } },
      ]),
      'commission',
    );
    const unitMsg = {
      typeUrl: IbcTypeUrls.transferUnits,
      value: {
        sender: maker.address,
        receiver: wholesaler.address,
        units: [
          { gtin: GTIN, serial: 'S1' },
          { gtin: GTIN, serial: 'S2' },
        ],
        batchGtin: '',
        batchLot: '',
        sourceClient: path.ends.clientOnA,
        timeoutTimestamp: (await z1.latestTimeSeconds()) + 600n,
        memo: '',
      },
    };
    expectTx(await z1.send(maker.wallet, [unitMsg]), 'transfer units');
    const unit = async (zone: typeof path.a, serial: string) =>
      (await zone.query(`${DR}Query/Unit`, QueryUnitRequest, QueryUnitResponse, { gtin: GTIN, serial })).unit;
    expect((await unit(path.a, 'S1'))!.status).toBe('LOCKED');
    const relayer = startRelayer();
    try {
      await noPending();
      expect(await unit(path.b, 'S1')).toMatchObject({ status: 'ACTIVE', holder: wholesaler.address, lot: 'LOT1' });
      expect(await unit(path.b, 'S2')).toMatchObject({ status: 'ACTIVE', holder: wholesaler.address });
      expect((await unit(path.a, 'S1'))!.status).toBe('EXPORTED');
      const history = await path.b.query(`${DR}Query/UnitHistory`, QueryUnitHistoryRequest, QueryUnitHistoryResponse, {
        gtin: GTIN,
        serial: 'S1',
        pagination: undefined,
      });
      expect(history.events.map((e) => e.type)).toEqual(['COMMISSIONED', 'SHIPPED', 'RECEIVED']);
      expect(history.events[1]).toMatchObject({
        actor: maker.address,
        shipmentId: expect.stringMatching(new RegExp(`^ibc/${path.ends.clientOnA}/\\d+$`)),
      });
      expect((await unit(path.a, 'S3'))!.status).toBe('ACTIVE');
    } finally {
      await relayer.stop();
    }
  },
  T,
);

test(
  'a relayer SIGKILLed mid-flight and restarted delivers every packet exactly once',
  async () => {
    const alice = addr(z1, 'alice');
    const bob = addr(z2, 'bob');
    const aliceBefore = await z1.balance(alice, DENOM);
    const bobBefore = await z2.balance(bob, DENOM);
    const relayer = startRelayer();
    await relayer.waitForLog('relaying', WAIT);
    const t1 = (await z1.latestTimeSeconds()) + 600n;
    const t2 = (await z2.latestTimeSeconds()) + 600n;
    // Both directions at once, 5 packets each in one tx.
    const [r1, r2] = await Promise.all([
      z1.send(
        'alice',
        Array.from({ length: 5 }, (_, i) => transferMsg(z1, alice, bob, path.ends.clientOnA, String(100 + i), DENOM, t1)),
      ),
      z2.send(
        'bob',
        Array.from({ length: 5 }, (_, i) => transferMsg(z2, bob, alice, path.ends.clientOnB, String(200 + i), DENOM, t2)),
      ),
    ]);
    expectTx(r1, 'sends on zone-1');
    expectTx(r2, 'sends on zone-2');
    // Killed as soon as it has received packets, before it could relay their acks.
    await relayer.waitForLog('received', WAIT);
    await relayer.kill();
    const inFlight = (await pending(z1, path.ends.clientOnA)).length + (await pending(z2, path.ends.clientOnB)).length;
    expect(inFlight).toBeGreaterThan(0);
    const restarted = startRelayer();
    try {
      await noPending();
      const sum1 = 100n + 101n + 102n + 103n + 104n;
      const sum2 = 200n + 201n + 202n + 203n + 204n;
      const v2 = await pollUntil(
        'bob holds the zone-1 voucher',
        async () => (await z2.allBalances(bob)).find((c) => c.denom.startsWith('ibc/') && c.amount === String(sum1))?.denom,
        WAIT,
      );
      const v1 = (await z1.allBalances(alice)).find((c) => c.denom.startsWith('ibc/'))!;
      expect(BigInt(v1.amount)).toBe(sum2);
      expect(await z2.balance(bob, v2)).toBe(sum1);
      expect(await z1.balance(alice, DENOM)).toBe(aliceBefore - sum1 - fee);
      expect(await z2.balance(bob, DENOM)).toBe(bobBefore - sum2 - fee);
      expect(restarted.alive).toBe(true);
    } finally {
      await restarted.stop();
    }
  },
  T,
);

test(
  'two relayers racing on one path: no crash, every packet once',
  async () => {
    const alice = addr(z1, 'alice');
    const bob = addr(z2, 'bob');
    const voucherOnB = (await z2.allBalances(bob)).find((c) => c.denom.startsWith('ibc/'))!.denom;
    const bobVoucherBefore = await z2.balance(bob, voucherOnB);
    const aliceBefore = await z1.balance(alice, DENOM);
    const second = writePathFile(dir, 'path2', z1, z2, 'relayer2');
    const r1 = startRelayer();
    const r2 = startRelayer(second);
    try {
      await Promise.all([r1.waitForLog('relaying', WAIT), r2.waitForLog('relaying', WAIT)]);
      for (let round = 0; round < 4; round++) {
        const t = (await z1.latestTimeSeconds()) + 600n;
        expectTx(
          await z1.send('alice', [
            transferMsg(z1, alice, bob, path.ends.clientOnA, '10', DENOM, t),
            transferMsg(z1, alice, bob, path.ends.clientOnA, '20', DENOM, t),
          ]),
          'send',
        );
      }
      await noPending();
      expect(await z2.balance(bob, voucherOnB)).toBe(bobVoucherBefore + 4n * 30n);
      expect(await z1.balance(alice, DENOM)).toBe(aliceBefore - 4n * 30n - 4n * fee);
      expect(r1.alive && r2.alive).toBe(true);
      // Lost races are failed txs ("tx failed" warnings), never a failed round or a crash.
      for (const r of [r1, r2]) expect(r.lines().filter((l) => l.msg === 'round failed')).toEqual([]);
    } finally {
      await Promise.all([r1.stop(), r2.stop()]);
    }
  },
  T,
);

test(
  'a forged proof on a real zone is refused and changes nothing',
  async () => {
    const alice = addr(z1, 'alice');
    const bob = addr(z2, 'bob');
    const t = (await z1.latestTimeSeconds()) + 600n;
    expectTx(await z1.send('alice', [transferMsg(z1, alice, bob, path.ends.clientOnA, '5', DENOM, t)]), 'send');
    const [packet] = await pending(z1, path.ends.clientOnA);
    expect(packet).toBeDefined();
    // A real proof of the packet's commitment key, but of the state at height 2 (before the send):
    // it proves absence, and the client's root at its latest height does not match it either.
    const { proof, exists } = await path.a.prove(packetCommitmentKey(path.ends.clientOnA, packet!.sequence), 2);
    expect(exists).toBe(false);
    const cs = ClientState.decode(
      (
        await path.b.query('/ibc.core.client.v1.Query/ClientState', QueryClientStateRequest, QueryClientStateResponse, {
          clientId: path.ends.clientOnB,
        })
      ).clientState!.value,
    );
    const recv = {
      typeUrl: IbcTypeUrls.recvPacket,
      value: MsgRecvPacket.fromPartial({ packet, proofCommitment: proof, proofHeight: cs.latestHeight, signer: path.b.address }),
    };
    const res = await path.b.submit([recv]);
    expect(res.code).not.toBe(0);
    expect(res.log).toMatch(/proof|verif|membership/i);
    expect((await pending(z1, path.ends.clientOnA)).map((p) => p.sequence)).toEqual([packet!.sequence]);
    // The honest relayer still delivers it.
    const relayer = startRelayer();
    try {
      await noPending();
    } finally {
      await relayer.stop();
    }
  },
  T,
);

test(
  'an error acknowledgement refunds the sender exactly once',
  async () => {
    // Zone-2 refuses vouchers for a blocked module account: the receive writes an error ack, and the
    // ack relayed back to zone-1 releases the escrow to the sender.
    const alice = addr(z1, 'alice');
    const blocked = makeChainConfig().addresses.moduleAddress('fee_collector');
    const before = await z1.balance(alice, DENOM);
    const t = (await z1.latestTimeSeconds()) + 600n;
    expectTx(
      await z1.send('alice', [transferMsg(z1, alice, blocked, path.ends.clientOnA, '321', DENOM, t)]),
      'transfer to a blocked account',
    );
    expect(await z1.balance(alice, DENOM)).toBe(before - 321n - fee);
    const relayer = startRelayer();
    try {
      await pollUntil('alice refunded', async () => ((await z1.balance(alice, DENOM)) === before - fee ? true : undefined), WAIT);
      await noPending();
      expect((await z2.allBalances(blocked)).filter((c) => c.denom.startsWith('ibc/'))).toEqual([]);
      expect(await z1.balance(alice, DENOM)).toBe(before - fee); // and not refunded twice
    } finally {
      await relayer.stop();
    }
  },
  T,
);

test(
  'a forged header is refused: the client stays where it was',
  async () => {
    const latest = async () =>
      ClientState.decode(
        (
          await path.b.query('/ibc.core.client.v1.Query/ClientState', QueryClientStateRequest, QueryClientStateResponse, {
            clientId: path.ends.clientOnB,
          })
        ).clientState!.value,
      ).latestHeight!;
    const before = await latest();
    const target = Number(before.revisionHeight) + 2;
    await pollUntil('zone-1 past the target height', async () => ((await z1.chain.height()) > target + 1 ? true : undefined), WAIT, 200);
    const real = await path.a.signedHeader(target);
    // The app hash changed after signing: the commit no longer signs this header.
    const forged = { ...real, header: { ...real.header!, appHash: new Uint8Array(32).fill(0xee) } };
    const res = await path.b.submit([
      updateMsg(forged, await path.a.validatorSet(target), before, await path.a.validatorSet(Number(before.revisionHeight) + 1)),
    ]);
    expect(res.code).not.toBe(0);
    expect(res.log).toMatch(/signature|verif|commit|hash/i);
    expect(await latest()).toEqual(before);
  },
  T,
);

test(
  'misbehaviour (a second header at a stored height, signed by the validator key) freezes the client',
  async () => {
    const status = async () =>
      ClientState.decode(
        (
          await path.b.query('/ibc.core.client.v1.Query/ClientState', QueryClientStateRequest, QueryClientStateResponse, {
            clientId: path.ends.clientOnB,
          })
        ).clientState!.value,
      );
    const trusted = (await status()).latestHeight!;
    const h = Number(trusted.revisionHeight) + 1;
    await pollUntil('zone-1 past the next height', async () => ((await z1.chain.height()) > h + 1 ? true : undefined), WAIT, 200);
    const validators = await path.a.validatorSet(h);
    const trustedValidators = await path.a.validatorSet(Number(trusted.revisionHeight) + 1);
    // First the real header at h lands (an ordinary update)…
    const real = await path.a.signedHeader(h);
    const honest = await path.b.submit([updateMsg(real, validators, trusted, trustedValidators)]);
    expect({ code: honest.code, log: honest.log }).toEqual({ code: 0, log: expect.anything() });
    // …then the zone's own validator key signs a conflicting block at that same height.
    const key = TestValidatorKey.fromPrivValidatorKey(
      JSON.parse(fs.readFileSync(join(z1.chain.home, 'config', 'priv_validator_key.json'), 'utf8')),
    );
    const fork = resign({ ...real.header!, appHash: new Uint8Array(32).fill(0xab) }, validators.validators, [key]);
    const res = await path.b.submit([updateMsg(fork, validators, trusted, trustedValidators)]);
    expect({ code: res.code, log: res.log }).toEqual({ code: 0, log: expect.anything() });
    expect((await status()).frozenHeight?.revisionHeight ?? 0n).not.toBe(0n);
    // A frozen client accepts no packets: a receive with a real proof of a new send is refused.
    const alice = addr(z1, 'alice');
    const bob = addr(z2, 'bob');
    const sent = await z1.send('alice', [
      transferMsg(z1, alice, bob, path.ends.clientOnA, '9', DENOM, (await z1.latestTimeSeconds()) + 600n),
    ]);
    expectTx(sent, 'send');
    const [packet] = await pending(z1, path.ends.clientOnA);
    const { proof, exists } = await path.a.prove(packetCommitmentKey(path.ends.clientOnA, packet!.sequence), sent.height);
    expect(exists).toBe(true);
    const recv = {
      typeUrl: IbcTypeUrls.recvPacket,
      value: MsgRecvPacket.fromPartial({
        packet,
        proofCommitment: proof,
        proofHeight: { revisionNumber: trusted.revisionNumber, revisionHeight: BigInt(sent.height + 1) },
        signer: path.b.address,
      }),
    };
    const refused = await path.b.submit([recv]);
    expect(refused.code).not.toBe(0);
    expect(refused.log).toMatch(/frozen/i);
    expect((await pending(z1, path.ends.clientOnA)).map((p) => p.sequence)).toEqual([packet!.sequence]);
  },
  T,
);

function updateMsg(
  signedHeader: SignedHeader,
  validatorSet: ValidatorSet,
  trustedHeight: { revisionNumber: bigint; revisionHeight: bigint },
  trustedValidators: ValidatorSet,
): EncodeObject {
  const header = TmHeader.fromPartial({ signedHeader, validatorSet, trustedHeight, trustedValidators });
  return {
    typeUrl: IbcTypeUrls.updateClient,
    value: {
      clientId: path.ends.clientOnB,
      clientMessage: { typeUrl: TmHeader.typeUrl, value: TmHeader.encode(header).finish() },
      signer: path.b.address,
    },
  };
}
