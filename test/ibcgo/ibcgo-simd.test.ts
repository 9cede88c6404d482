/**
 * IBC v2 between a REAL Parazone zone and a REAL ibc-go v10 chain (simd: ibc-go v10.7.0's
 * simapp, SDK v0.53.4), each under its own CometBFT on loopback: 07-tendermint clients on both
 * sides (ibc-go's MsgCreateClient on simd, ours on the zone), counterparties registered with each
 * other's merkle prefix, and ICS-20 in both directions through our relayer — ibc-go verifying our
 * SMT proofs, we verifying simd's IAVL + multistore proofs. Needs .tools/bin/cometbft and
 * .tools/bin/simd: without them the suite fails, it never skips.
 */
import { pino } from 'pino';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgRecvPacket } from 'cosmjs-types/ibc/core/channel/v2/tx';
import { assertPinnedCometbft, locateCometbft } from '../../app/node/cometbft.js';
import { locateSimd } from '../../app/loadgen/simd-network.js';
import { connectPath, resolvePathConfig, type ConnectedPath, type PathConfig } from '../../app/relayer/index.js';
import { pendingPackets } from '../../app/relayer/chain-kinds.js';
import { IBCGO_SEND_PACKET } from '../../app/relayer/ibcgo-chain.js';
import { ICS20_VERSION, IbcTypeUrls, TRANSFER_PORT, encodePacketData, ibcDenom, packetCommitmentKey } from '../../modules/ibc/index.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { DENOM, startZone, type TestZone } from '../zones/zones-helpers.js';
import { SIMD_DENOM, startTestSimd, type TestSimd } from './simd-chain.js';

const T = 120_000;
const cleanup = cleanupAfterAll();

let zone: TestZone;
let simd: TestSimd;
let path: ConnectedPath;

const zoneAddr = (key: string) => zone.chain.keys[key]!.address;
const simdAddr = (key: string) => simd.keys[key]!.address;

function expectTx(res: { code: number; rawLog?: string }, what: string): void {
  if (res.code !== 0) throw new Error(`${what} failed (${res.code}): ${res.rawLog}`);
}

/** ICS-20 from the zone (our MsgTransfer). */
function zoneTransfer(from: string, to: string, amount: string, denom: string, timeoutTimestamp: bigint): EncodeObject {
  return { typeUrl: IbcTypeUrls.transfer, value: { sender: zoneAddr(from), receiver: to, token: { denom, amount }, sourceClient: path.ends.clientOnA, timeoutTimestamp, memo: '' } };
}

/** ICS-20 from simd: ibc-go v10's MsgSendPacket with an ics20-1 JSON payload. */
function simdTransfer(from: string, to: string, amount: string, denom: string, timeoutTimestamp: bigint): EncodeObject {
  const value = encodePacketData({ denom, amount, sender: simdAddr(from), receiver: to, memo: '' });
  return {
    typeUrl: IBCGO_SEND_PACKET,
    value: {
      sourceClient: path.ends.clientOnB,
      timeoutTimestamp,
      payloads: [{ sourcePort: TRANSFER_PORT, destinationPort: TRANSFER_PORT, version: ICS20_VERSION, encoding: 'application/json', value }],
      signer: simdAddr(from),
    },
  };
}

const nowSeconds = () => BigInt(Math.floor(Date.now() / 1000));

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
  const cfg: PathConfig = {
    a: { chainId: zone.chainId, rpc: zone.rpc, mnemonic: zone.chain.keys.relayer!.mnemonic },
    b: { chainId: simd.chainId, kind: 'ibc-go', rpc: simd.rpc, mnemonic: simd.keys.relayer!.mnemonic },
    pollMs: 100,
  };
  path = await connectPath(resolvePathConfig(cfg), pino({ level: 'warn' }));
  cleanup.add('close relayer path', () => path.close());
}, 180_000);

describe('zone ⇄ simd (ibc-go v10)', () => {
  it('sets up 07-tendermint clients on both chains, paired as each other\'s counterparty', () => {
    expect(path.ends.clientOnA).toMatch(/^07-tendermint-\d+$/);
    expect(path.ends.clientOnB).toMatch(/^07-tendermint-\d+$/);
  });

  it('our token to simd (ibc-go verifies our SMT proof) and back', async () => {
    const voucher = ibcDenom(`${TRANSFER_PORT}/${path.ends.clientOnB}/${DENOM}`);
    const before = await zone.balance(zoneAddr('alice'), DENOM);
    expectTx(await zone.send('alice', [zoneTransfer('alice', simdAddr('alice'), '1000', DENOM, nowSeconds() + 600n)]), 'MsgTransfer on the zone');
    await relayUntilSettled();
    expect(await simd.balance(simdAddr('alice'), voucher)).toBe(1000n);
    expect(await zone.balance(zoneAddr('alice'), DENOM)).toBe(before - 1000n - 25000n);

    expectTx(await simd.send('alice', [simdTransfer('alice', zoneAddr('alice'), '400', `${TRANSFER_PORT}/${path.ends.clientOnB}/${DENOM}`, nowSeconds() + 600n)]), 'MsgSendPacket on simd');
    await relayUntilSettled();
    expect(await simd.balance(simdAddr('alice'), voucher)).toBe(600n);
    expect(await zone.balance(zoneAddr('alice'), DENOM)).toBe(before - 600n - 25000n);
  }, T);
});
