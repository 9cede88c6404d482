/**
 * IBC v2 between a REAL Parazone zone and a REAL ibc-go v10 chain (simd: ibc-go v10.7.0's
 * simapp, SDK v0.53.4), each under its own CometBFT on loopback: 07-tendermint clients on both
 * sides (ibc-go's MsgCreateClient on simd, ours on the zone), counterparties registered with each
 * other's merkle prefix, and ICS-20 in both directions through our relayer — ibc-go verifying our
 * SMT proofs, we verifying simd's IAVL + multistore proofs. Needs .tools/bin/cometbft and
 * .tools/bin/simd: without them the suite fails, it never skips.
 */
import fs from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { toBech32 } from '@cosmjs/encoding';
import { MerkleProof } from 'cosmjs-types/ibc/core/commitment/v1/commitment';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgRecvPacket } from 'cosmjs-types/ibc/core/channel/v2/tx';
import { assertPinnedCometbft, locateCometbft } from '../../app/node/cometbft.js';
import { locateSimd } from '../../app/loadgen/simd-network.js';
import { connectPath, resolvePathConfig, type ConnectedPath, type PathConfig } from '../../app/relayer/index.js';
import { pendingPackets } from '../../app/relayer/chain-kinds.js';
import { IBCGO_SEND_PACKET } from '../../app/relayer/ibcgo-chain.js';
import {
  ICS20_VERSION,
  IbcTypeUrls,
  TRANSFER_PORT,
  encodePacketData,
  escrowAddressBytes,
  ibcDenom,
  packetCommitmentKey,
} from '../../modules/ibc/index.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { DENOM, FEE, RelayerProcess, startZone, tempDir, type TestZone } from '../zones/zones-helpers.js';
import { SIMD_DENOM, startTestSimd, type TestSimd } from './simd-chain.js';

const T = 120_000;
const cleanup = cleanupAfterAll();

let zone: TestZone;
let simd: TestSimd;
let path: ConnectedPath;
let cfg: PathConfig;
let dir: string;

const zoneAddr = (key: string) => zone.chain.keys[key]!.address;
const simdAddr = (key: string) => simd.keys[key]!.address;

function expectTx(res: { code: number; rawLog?: string }, what: string): void {
  if (res.code !== 0) throw new Error(`${what} failed (${res.code}): ${res.rawLog}`);
}

/** ICS-20 from the zone (our MsgTransfer). */
function zoneTransfer(from: string, to: string, amount: string, denom: string, timeoutTimestamp: bigint): EncodeObject {
  return {
    typeUrl: IbcTypeUrls.transfer,
    value: {
      sender: zoneAddr(from),
      receiver: to,
      token: { denom, amount },
      sourceClient: path.ends.clientOnA,
      timeoutTimestamp,
      memo: '',
    },
  };
}

/** ICS-20 from simd: ibc-go v10's MsgSendPacket with an ics20-1 JSON payload. */
function simdTransfer(from: string, to: string, amount: string, denom: string, timeoutTimestamp: bigint): EncodeObject {
  const value = encodePacketData({ denom, amount, sender: simdAddr(from), receiver: to, memo: '' });
  return {
    typeUrl: IBCGO_SEND_PACKET,
    value: {
      sourceClient: path.ends.clientOnB,
      timeoutTimestamp,
      payloads: [
        { sourcePort: TRANSFER_PORT, destinationPort: TRANSFER_PORT, version: ICS20_VERSION, encoding: 'application/json', value },
      ],
      signer: simdAddr(from),
    },
  };
}

const nowSeconds = () => BigInt(Math.floor(Date.now() / 1000));
const zoneFee = BigInt(FEE.amount[0]!.amount);
/** ibc-go's escrow account for `transfer/<clientOnB>` (the same derivation as ours). */
const simdEscrow = () => toBech32('cosmos', escrowAddressBytes(path.ends.clientOnB));
const zoneEscrow = () => toBech32('para', escrowAddressBytes(path.ends.clientOnA));
const SIMD_FEE = { amount: [{ denom: SIMD_DENOM, amount: '100000' }], gas: '2000000' };

async function simdTime(): Promise<bigint> {
  const status = await path.b.comet.status();
  return BigInt(Math.floor(status.syncInfo.latestBlockTime.getTime() / 1000));
}

/** The height of the block after the latest one, once it is committed. */
async function nextBlock(chain: ConnectedPath['a']): Promise<number> {
  const next = (await chain.latestHeight()) + 1;
  await pollUntil(`${chain.chainId} at height ${next}`, async () => ((await chain.latestHeight()) >= next ? true : undefined), 10_000, 50);
  return next;
}

/** Flips one byte of a sibling hash in the first level of an encoded MerkleProof. */
function forge(proof: Uint8Array): Uint8Array {
  const m = MerkleProof.decode(proof);
  const step = m.proofs[0]!.exist!.path[0]!;
  const target = step.suffix.length > 0 ? step.suffix : step.prefix;
  target[target.length - 1] ^= 0xff;
  return MerkleProof.encode(m).finish();
}

async function relayUntilSettled(): Promise<void> {
  await pollUntil(
    'no packets in flight on either chain',
    async () => {
      await path.relayer.relayOnce();
      const a = await pendingPackets(path.a, path.ends.clientOnA, 0);
      const b = await pendingPackets(path.b, path.ends.clientOnB, 0);
      return a.length === 0 && b.length === 0 ? true : undefined;
    },
    60_000,
    200,
  );
}

beforeAll(async () => {
  locateCometbft();
  locateSimd();
  await assertPinnedCometbft();
  [zone, simd] = await Promise.all([startZone('parazone-1', [], cleanup), startTestSimd('simd-1', ['relayer', 'alice'], cleanup)]);
  dir = tempDir(cleanup);
  cfg = {
    a: { chainId: zone.chainId, rpc: zone.rpc, mnemonic: zone.chain.keys.relayer!.mnemonic },
    b: { chainId: simd.chainId, kind: 'ibc-go', rpc: simd.rpc, mnemonic: simd.keys.relayer!.mnemonic },
    pollMs: 100,
  };
  path = await connectPath(resolvePathConfig(cfg), pino({ level: 'warn' }));
  cleanup.add('close relayer path', () => path.close());
}, 180_000);

describe('zone ⇄ simd (ibc-go v10)', () => {
  it("sets up 07-tendermint clients on both chains, paired as each other's counterparty", () => {
    expect(path.ends.clientOnA).toMatch(/^07-tendermint-\d+$/);
    expect(path.ends.clientOnB).toMatch(/^07-tendermint-\d+$/);
  });

  it(
    'our token to simd (ibc-go verifies our SMT proof) and back',
    async () => {
      const voucher = ibcDenom(`${TRANSFER_PORT}/${path.ends.clientOnB}/${DENOM}`);
      const before = await zone.balance(zoneAddr('alice'), DENOM);
      expectTx(
        await zone.send('alice', [zoneTransfer('alice', simdAddr('alice'), '1000', DENOM, nowSeconds() + 600n)]),
        'MsgTransfer on the zone',
      );
      await relayUntilSettled();
      expect(await simd.balance(simdAddr('alice'), voucher)).toBe(1000n);
      expect(await zone.balance(zoneAddr('alice'), DENOM)).toBe(before - 1000n - 25000n);

      expectTx(
        await simd.send('alice', [
          simdTransfer('alice', zoneAddr('alice'), '400', `${TRANSFER_PORT}/${path.ends.clientOnB}/${DENOM}`, nowSeconds() + 600n),
        ]),
        'MsgSendPacket on simd',
      );
      await relayUntilSettled();
      expect(await simd.balance(simdAddr('alice'), voucher)).toBe(600n);
      expect(await zone.balance(zoneAddr('alice'), DENOM)).toBe(before - 600n - 25000n);
    },
    T,
  );

  it(
    "simd's stake to the zone (we verify simd's IAVL + multistore proofs) and back",
    async () => {
      const voucher = ibcDenom(`${TRANSFER_PORT}/${path.ends.clientOnA}/${SIMD_DENOM}`);
      const escrowed = await simd.balance(simdEscrow(), SIMD_DENOM);
      expectTx(
        await simd.send('alice', [simdTransfer('alice', zoneAddr('bob'), '5000', SIMD_DENOM, nowSeconds() + 600n)]),
        'MsgSendPacket on simd',
      );
      await relayUntilSettled();
      expect(await zone.balance(zoneAddr('bob'), voucher)).toBe(5000n);
      expect(await simd.balance(simdEscrow(), SIMD_DENOM)).toBe(escrowed + 5000n);

      const aliceStake = await simd.balance(simdAddr('alice'), SIMD_DENOM);
      expectTx(
        await zone.send('bob', [zoneTransfer('bob', simdAddr('alice'), '2000', voucher, nowSeconds() + 600n)]),
        'MsgTransfer of the voucher on the zone',
      );
      await relayUntilSettled();
      expect(await zone.balance(zoneAddr('bob'), voucher)).toBe(3000n);
      expect(await simd.balance(simdAddr('alice'), SIMD_DENOM)).toBe(aliceStake + 2000n);
      expect(await simd.balance(simdEscrow(), SIMD_DENOM)).toBe(escrowed + 3000n);
    },
    T,
  );

  it(
    'a packet from the zone that times out on simd is refunded on the zone',
    async () => {
      const before = await zone.balance(zoneAddr('alice'), DENOM);
      const escrowed = await zone.balance(zoneEscrow(), DENOM);
      const timeout = nowSeconds() + 4n;
      expectTx(await zone.send('alice', [zoneTransfer('alice', simdAddr('alice'), '777', DENOM, timeout)]), 'MsgTransfer on the zone');
      expect(await zone.balance(zoneEscrow(), DENOM)).toBe(escrowed + 777n);
      await pollUntil('simd past the timeout', async () => ((await simdTime()) > timeout ? true : undefined), 30_000, 200);
      await relayUntilSettled();
      expect(await zone.balance(zoneAddr('alice'), DENOM)).toBe(before - zoneFee);
      expect(await zone.balance(zoneEscrow(), DENOM)).toBe(escrowed);
    },
    T,
  );

  it(
    'a packet from simd that times out on the zone is refunded on simd (ibc-go checks our SMT non-membership proof)',
    async () => {
      const escrowed = await simd.balance(simdEscrow(), SIMD_DENOM);
      const timeout = nowSeconds() + 4n;
      expectTx(await simd.send('alice', [simdTransfer('alice', zoneAddr('bob'), '888', SIMD_DENOM, timeout)]), 'MsgSendPacket on simd');
      expect(await simd.balance(simdEscrow(), SIMD_DENOM)).toBe(escrowed + 888n);
      await pollUntil(
        'the zone past the timeout',
        async () => ((await zone.latestTimeSeconds()) > timeout ? true : undefined),
        30_000,
        200,
      );
      await relayUntilSettled();
      expect(await simd.balance(simdEscrow(), SIMD_DENOM)).toBe(escrowed);
    },
    T,
  );

  it(
    'a forged proof is refused by ibc-go and by us',
    async () => {
      // zone → simd: a packet in flight, simd's client updated, our proof with one sibling byte flipped.
      expectTx(
        await zone.send('alice', [zoneTransfer('alice', simdAddr('alice'), '5', DENOM, nowSeconds() + 600n)]),
        'MsgTransfer on the zone',
      );
      const [packet] = await pendingPackets(path.a, path.ends.clientOnA, 0);
      // A proof at S-1 covers the state after block S-1, which must hold the send.
      const S = await nextBlock(path.a);
      const onSimd = await path.relayer.consensusFor(path.relayer.b, path.relayer.a.chain, S);
      const proof = await path.a.prove(packetCommitmentKey(path.ends.clientOnA, packet!.sequence), onSimd.proofHeight - 1);
      const height = { revisionNumber: 1n, revisionHeight: BigInt(onSimd.proofHeight) };
      const recv = (proofCommitment: Uint8Array): EncodeObject => ({
        typeUrl: IbcTypeUrls.recvPacket,
        value: MsgRecvPacket.fromPartial({ packet, proofCommitment, proofHeight: height, signer: simdAddr('relayer') }),
      });
      // ibc-go's ante handler runs the receive in CheckTx already: refused there with 23-commitment's
      // ErrInvalidProof (commitment:2), wrapped by the channel keeper's verification failure.
      const refused = await simd.send('relayer', [...(onSimd.update ? [onSimd.update] : []), recv(forge(proof.proof))], SIMD_FEE).then(
        () => undefined,
        (err: { code?: number; codespace?: string; message: string }) => err,
      );
      expect(refused).toMatchObject({ code: 2, codespace: 'commitment' });
      expect(refused!.message).toMatch(/failed packet commitment verification/);
      // The genuine proof is accepted afterwards (the refusal changed nothing).
      expectTx(
        await simd.send('relayer', [...(onSimd.update ? [onSimd.update] : []), recv(proof.proof)], SIMD_FEE),
        'MsgRecvPacket with the genuine proof',
      );
      await relayUntilSettled();

      // simd → zone: the same with simd's two-level proof.
      expectTx(
        await simd.send('alice', [simdTransfer('alice', zoneAddr('bob'), '6', SIMD_DENOM, nowSeconds() + 600n)]),
        'MsgSendPacket on simd',
      );
      const [simdPacket] = await pollUntil(
        'the packet in flight on simd',
        async () => (await pendingPackets(path.b, path.ends.clientOnB, 0)).at(0) && (await pendingPackets(path.b, path.ends.clientOnB, 0)),
        10_000,
        200,
      );
      const D = await nextBlock(path.b);
      const onZone = await path.relayer.consensusFor(path.relayer.a, path.relayer.b.chain, D);
      const simdProof = await path.b.prove(packetCommitmentKey(path.ends.clientOnB, simdPacket!.sequence), onZone.proofHeight - 1);
      expect(MerkleProof.decode(simdProof.proof).proofs).toHaveLength(2);
      const zoneRecv: EncodeObject = {
        typeUrl: IbcTypeUrls.recvPacket,
        value: MsgRecvPacket.fromPartial({
          packet: simdPacket,
          proofCommitment: forge(simdProof.proof),
          proofHeight: { revisionNumber: 1n, revisionHeight: BigInt(onZone.proofHeight) },
          signer: zoneAddr('relayer'),
        }),
      };
      // Refused in CheckTx or in the block, depending on where the chain runs the Msg: ibc:11.
      const ours = await zone.send('relayer', [...(onZone.update ? [onZone.update] : []), zoneRecv]).then(
        (res) => ({ code: res.code, message: res.rawLog ?? '' }),
        (err: { code?: number; message: string }) => ({ code: err.code, message: err.message }),
      );
      expect(ours.code).toBe(11);
      expect(ours.message).toMatch(/membership at .* on 07-tendermint-\d+/);
      await relayUntilSettled();
      expect(await zone.balance(zoneAddr('bob'), ibcDenom(`${TRANSFER_PORT}/${path.ends.clientOnA}/${SIMD_DENOM}`))).toBeGreaterThanOrEqual(
        6n,
      );
      await relayUntilSettled();
    },
    T,
  );

  it(
    'a relayer process SIGKILLed mid-flight and restarted delivers every packet exactly once',
    async () => {
      const pathFile = join(dir, 'path.json');
      fs.writeFileSync(pathFile, JSON.stringify(cfg));
      const voucherOnSimd = ibcDenom(`${TRANSFER_PORT}/${path.ends.clientOnB}/${DENOM}`);
      const voucherOnZone = ibcDenom(`${TRANSFER_PORT}/${path.ends.clientOnA}/${SIMD_DENOM}`);
      const simdBefore = await simd.balance(simdAddr('relayer'), voucherOnSimd);
      const zoneBefore = await zone.balance(zoneAddr('bob'), voucherOnZone);
      for (let i = 0; i < 3; i++) {
        expectTx(
          await zone.send('alice', [zoneTransfer('alice', simdAddr('relayer'), '10', DENOM, nowSeconds() + 600n)]),
          'MsgTransfer on the zone',
        );
        expectTx(
          await simd.send('alice', [simdTransfer('alice', zoneAddr('bob'), '20', SIMD_DENOM, nowSeconds() + 600n)]),
          'MsgSendPacket on simd',
        );
      }
      const first = RelayerProcess.start(pathFile, join(dir, 'relayer-0.log'), cleanup);
      await first.waitForLog('received', 60_000);
      await first.kill();
      const second = RelayerProcess.start(pathFile, join(dir, 'relayer-1.log'), cleanup);
      await pollUntil(
        'every packet delivered and acknowledged',
        async () =>
          (await pendingPackets(path.a, path.ends.clientOnA, 0)).length === 0 &&
          (await pendingPackets(path.b, path.ends.clientOnB, 0)).length === 0
            ? true
            : undefined,
        60_000,
        200,
      );
      await second.stop();
      expect(await simd.balance(simdAddr('relayer'), voucherOnSimd)).toBe(simdBefore + 30n);
      expect(await zone.balance(zoneAddr('bob'), voucherOnZone)).toBe(zoneBefore + 60n);
    },
    T,
  );
});
