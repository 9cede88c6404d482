/**
 * The relayer's own loop (app/relayer/relayer.ts, the one `parazone relay` runs over RPC) between
 * two in-process zones, through InProcessChainEnd: a transfer received and acknowledged, a
 * timeout refunded, a fresh relayer (the state of one restarted after SIGKILL) finishing what
 * another started, and a second relayer's repeat relaying nothing.
 */
import { pino } from 'pino';
import { MsgTransfer } from '../../generated/parazone/ibc/v1/tx.js';
import { Relayer, type RoundStats } from '../../app/relayer/relayer.js';
import { IbcTypeUrls, escrowAddressBytes, ibcDenom } from '../../modules/ibc/index.js';
import { InProcessChainEnd, pendingPacketsOf } from './inprocess/chain-end.js';
import { TestRelayer, expectOk } from './inprocess/relayer.js';
import { Clock, DENOM, FEE, Zone } from './inprocess/zone.js';

const zones: Zone[] = [];
afterAll(async () => {
  for (const z of zones) await z.close();
});

const stats = (): RoundStats => ({ received: 0, acknowledged: 0, timedOut: 0, txs: 0, failedTxs: 0 });

function path() {
  const clock = new Clock();
  const a = new Zone(clock, { chainId: 'zone-a-1', clock }, 1);
  const b = new Zone(clock, { chainId: 'zone-b-1', clock }, 2);
  zones.push(a, b);
  const { a: onA, b: onB } = TestRelayer.connect(a, b);
  const ends = { clientOnA: onA.clientId, clientOnB: onB.clientId };
  const relayer = () => new Relayer(new InProcessChainEnd(a), new InProcessChainEnd(b), ends, pino({ level: 'silent' }));
  return { clock, a, b, ends, relayer };
}

function send(a: Zone, clientId: string, receiver: string, timeoutTimestamp: bigint) {
  const alice = a.accounts[1]!;
  const value = MsgTransfer.encode(
    MsgTransfer.fromPartial({
      token: { denom: DENOM, amount: '1000' },
      memo: '',
      sender: alice.address,
      receiver,
      sourceClient: clientId,
      timeoutTimestamp,
    }),
  ).finish();
  expectOk(a.deliver(alice, [{ typeUrl: IbcTypeUrls.transfer, value }]), 'transfer');
}

describe('the relaying core over in-process ends', () => {
  test('receives, then acknowledges; a repeat finds nothing to do', async () => {
    const { clock, a, b, ends, relayer } = path();
    const bob = b.accounts[2]!.address;
    send(a, ends.clientOnA, bob, clock.seconds + 3600n);
    // The proof of the state after block S-1 needs header S on the destination's client.
    a.block();
    const r = relayer();
    const s = stats();
    expect(await r.relayReceives(r.a, r.b, s)).toBe(b.height);
    expect(s).toMatchObject({ received: 1, txs: 1, failedTxs: 0 });
    expect(b.balance(bob, ibcDenom(`transfer/${ends.clientOnB}/${DENOM}`))).toBe(1000n);

    // A second relayer at the same moment: the packet is received, nothing to send.
    const again = stats();
    expect(await relayer().relayReceives(r.a, r.b, again)).toBe(0);
    expect(again.txs).toBe(0);

    b.block();
    // A fresh relayer (what a restart after SIGKILL has) relays the ack from the chains alone.
    const acks = stats();
    await relayer().relayAcksAndTimeouts(r.a, r.b, acks);
    expect(acks).toMatchObject({ acknowledged: 1, timedOut: 0, txs: 1, failedTxs: 0 });
    expect(pendingPacketsOf(a, ends.clientOnA)).toHaveLength(0);
  });

  test('a packet past its timeout is left unreceived and timed out, refunding the sender', async () => {
    const { clock, a, b, ends, relayer } = path();
    const alice = a.accounts[1]!.address;
    const before = a.balance(alice, DENOM);
    send(a, ends.clientOnA, b.accounts[2]!.address, clock.seconds + 30n);
    const escrow = a.config.addresses.encode(escrowAddressBytes(ends.clientOnA));
    expect(a.balance(escrow, DENOM)).toBe(1000n);
    clock.advance(60n);
    a.block();
    b.block();
    const r = relayer();
    const s = stats();
    expect(await r.relayReceives(r.a, r.b, s)).toBe(0);
    expect(s.txs).toBe(0);
    await r.relayAcksAndTimeouts(r.a, r.b, s);
    expect(s).toMatchObject({ received: 0, acknowledged: 0, timedOut: 1, txs: 1, failedTxs: 0 });
    expect(a.balance(escrow, DENOM)).toBe(0n);
    expect(a.balance(alice, DENOM)).toBe(before - FEE); // the 1000 are back; the transfer's fee is not
    expect(pendingPacketsOf(a, ends.clientOnA)).toHaveLength(0);
  });

  test('the client update comes with the first relayed packet and is not repeated', async () => {
    const { clock, a, b, ends, relayer } = path();
    send(a, ends.clientOnA, b.accounts[2]!.address, clock.seconds + 3600n);
    a.block();
    const r = relayer();
    const { update, proofHeight } = await r.consensusFor(r.b, r.a.chain, a.height);
    expect(update?.typeUrl).toBe(IbcTypeUrls.updateClient);
    expect(proofHeight).toBe(a.height);
    await r.relayReceives(r.a, r.b, stats());
    const after = await r.consensusFor(r.b, r.a.chain, a.height);
    expect(after).toEqual({ proofHeight: a.height });
  });
});
