/**
 * IBC between two independent in-process zones: real signed CometBFT headers, real ICS-23 proofs
 * from each zone's CommitStore, an untrusted test relayer carrying them. Covers ICS-20 out and
 * back, refunds on timeout and on error acknowledgement, cross-zone drug custody, and the
 * attacks a relayer or a forger could try.
 */
import {
  MsgAcknowledgement,
  MsgRecvPacket,
  MsgRecvPacketResponse,
  MsgTimeout,
  ResponseResultType,
} from 'cosmjs-types/ibc/core/channel/v2/tx';
import { MsgSubmitMisbehaviour } from 'cosmjs-types/ibc/core/client/v1/tx';
import { MsgRegisterCounterparty } from 'cosmjs-types/ibc/core/client/v2/tx';
import { QueryClientStatusRequest, QueryClientStatusResponse } from 'cosmjs-types/ibc/core/client/v1/query';
import { QueryCounterpartyInfoRequest, QueryCounterpartyInfoResponse } from 'cosmjs-types/ibc/core/client/v2/query';
import {
  QueryNextSequenceSendRequest,
  QueryNextSequenceSendResponse,
  QueryPacketAcknowledgementRequest,
  QueryPacketAcknowledgementResponse,
  QueryPacketCommitmentRequest,
  QueryPacketCommitmentResponse,
  QueryPacketReceiptRequest,
  QueryPacketReceiptResponse,
  QueryUnreceivedAcksRequest,
  QueryUnreceivedAcksResponse,
} from 'cosmjs-types/ibc/core/channel/v2/query';
import {
  QueryClientsRequest,
  QueryClientsResponse,
  QueryDenomTraceRequest,
  QueryDenomTraceResponse,
} from '../../generated/parazone/ibc/v1/query.js';
import { Header, Misbehaviour } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { resign } from '../../modules/ibc/light-clients/07-tendermint/test-signer.js';
import { SmtSpec, assertNonMembership } from '../../app/ics23/index.js';
import { MerkleProof } from 'cosmjs-types/ibc/core/commitment/v1/commitment';
import { UnitEvent as UnitEventCodec } from '../../generated/parazone/drugregistry/v1/types.js';
import { MsgSetCustodyTrust, MsgTransfer, MsgTransferUnits, MsgTransferUnitsResponse } from '../../generated/parazone/ibc/v1/tx.js';
import {
  MsgCommissionBatch,
  MsgCommissionUnits,
  MsgRegisterProduct,
  MsgShip,
  MsgUndoDecommission,
} from '../../generated/parazone/drugregistry/v1/tx.js';
import {
  ICS20_SUCCESS_ACK,
  IbcTypeUrls,
  UNIVERSAL_ERROR_ACK,
  commitAcknowledgement,
  commitPacket,
  escrowAddressBytes,
  ibcDenom,
  packetAckKey,
  packetCommitmentKey,
  packetReceiptKey,
} from '../../modules/ibc/index.js';
import { DENOM, FEE, Clock, Zone, msgResponses } from './inprocess/zone.js';
import { TestRelayer, expectOk } from './inprocess/relayer.js';

const zones: Zone[] = [];
afterAll(async () => {
  for (const z of zones) await z.close();
});

function twoZones(participants?: { a?: Parameters<typeof mkZone>[2]; b?: Parameters<typeof mkZone>[2] }) {
  const clock = new Clock();
  const a = mkZone(clock, 'zone-a-1', participants?.a, 1);
  const b = mkZone(clock, 'zone-b-1', participants?.b, 2);
  return { clock, a, b, relayer: TestRelayer.connect(a, b) };
}

function mkZone(
  clock: Clock,
  chainId: string,
  participants: { address: string; roles: string[]; companyPrefixes?: string[] }[] | undefined,
  seed: number,
): Zone {
  const z = new Zone(clock, { chainId, clock, participants }, seed);
  zones.push(z);
  return z;
}

function transferMsg(
  m: Partial<MsgTransfer> & Pick<MsgTransfer, 'sender' | 'receiver' | 'sourceClient' | 'timeoutTimestamp'>,
  denom = DENOM,
  amount = '1000',
) {
  return {
    typeUrl: IbcTypeUrls.transfer,
    value: MsgTransfer.encode(MsgTransfer.fromPartial({ token: { denom, amount }, memo: '', ...m })).finish(),
  };
}

function expectFail(r: ExecTxResult, codespace: string, code?: number, text?: string): void {
  expect({ codespace: r.codespace, failed: r.code !== 0 }).toEqual({ codespace, failed: true });
  if (code !== undefined) expect(r.code).toBe(code);
  if (text !== undefined) expect(r.log).toContain(text);
}

const escrowOf = (z: Zone, clientId: string) => z.config.addresses.encode(escrowAddressBytes(clientId));

describe('ICS-20 between two zones', () => {
  test('tokens go out, come back home, and supply and escrow stay consistent', async () => {
    const { clock, a, b, relayer } = twoZones();
    const alice = a.accounts[1]!;
    const bob = b.accounts[2]!;
    const aliceStart = a.balance(alice.address, DENOM);

    const sent = expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: bob.address,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
      'transfer',
    );
    expect(msgResponses(sent)).toHaveLength(1);
    const escrow = escrowOf(a, relayer.a.clientId);
    expect(a.balance(escrow, DENOM)).toBe(1000n);
    expect(a.ibc.transfer.totalEscrow(a.ctx(), DENOM)).toBe(1000n);

    const recv = expectOk(await relayer.relayPackets(a), 'recv');
    expect(MsgRecvPacketResponse.decode(msgResponses(recv)[1]!.value).result).toBe(ResponseResultType.RESPONSE_RESULT_TYPE_SUCCESS);
    const voucher = ibcDenom(`transfer/${relayer.b.clientId}/${DENOM}`);
    expect(voucher).toMatch(/^ibc\/[0-9A-F]{64}$/);
    expect(b.balance(bob.address, voucher)).toBe(1000n);
    expect(b.tokens.getSupply(b.ctx(), voucher)).toBe(1000n);
    expect(b.ibc.transfer.fullPath(b.ctx(), voucher)).toBe(`transfer/${relayer.b.clientId}/${DENOM}`);
    const ack = b.ibc.packets.getAcknowledgement(b.ctx(), relayer.b.clientId, 1n)!;
    expect(Buffer.from(ack.appAcknowledgements[0]!).toString()).toBe('{"result":"AQ=="}');

    expectOk(await relayer.relayAcks(a), 'ack');
    expect(a.ibc.packets.getCommitment(a.ctx(), relayer.a.clientId, 1n)).toBeUndefined();
    expect(relayer.pending(relayer.a)).toHaveLength(0);

    // Home again: the vouchers burn on B, the escrow releases on A.
    expectOk(
      b.deliver(bob, [
        transferMsg(
          { sender: bob.address, receiver: alice.address, sourceClient: relayer.b.clientId, timeoutTimestamp: clock.seconds + 3600n },
          voucher,
          '400',
        ),
      ]),
      'transfer back',
    );
    expect(b.tokens.getSupply(b.ctx(), voucher)).toBe(600n);
    expectOk(await relayer.relayPackets(b), 'recv back');
    expectOk(await relayer.relayAcks(b), 'ack back');
    expect(a.balance(escrow, DENOM)).toBe(600n);
    expect(a.ibc.transfer.totalEscrow(a.ctx(), DENOM)).toBe(600n);
    // 1000 left, 400 returned; the relayer (account 0) paid the relaying fees, alice paid two tx fees.
    expect(a.balance(alice.address, DENOM)).toBe(aliceStart - 1000n - FEE + 400n);
    expect(b.balance(bob.address, voucher)).toBe(600n);
    expect(a.app.checkInvariants()).toEqual([]);
    expect(b.app.checkInvariants()).toEqual([]);
  });

  test('a voucher forwarded to a third zone escrows there-and-back by the exact route', async () => {
    const { clock, a, b, relayer: ab } = twoZones();
    const c = mkZone(clock, 'zone-c-1', undefined, 3);
    const bc = TestRelayer.connect(b, c);
    expect(bc.a.clientId).toBe('07-tendermint-1'); // B's second client
    const alice = a.accounts[1]!;
    const bob = b.accounts[2]!;
    const carol = c.accounts[3]!;
    const later = () => clock.seconds + 3600n;
    expectOk(
      a.deliver(alice, [
        transferMsg({ sender: alice.address, receiver: bob.address, sourceClient: ab.a.clientId, timeoutTimestamp: later() }),
      ]),
    );
    expectOk(await ab.relayPackets(a));
    expectOk(await ab.relayAcks(a));
    const onB = ibcDenom(`transfer/${ab.b.clientId}/${DENOM}`);
    // B → C: B is not the voucher's source towards C, so B escrows the voucher and C mints a two-hop voucher.
    expectOk(
      b.deliver(bob, [
        transferMsg({ sender: bob.address, receiver: carol.address, sourceClient: bc.a.clientId, timeoutTimestamp: later() }, onB, '300'),
      ]),
    );
    expect(b.balance(escrowOf(b, bc.a.clientId), onB)).toBe(300n);
    expect(b.tokens.getSupply(b.ctx(), onB)).toBe(1000n);
    expectOk(await bc.relayPackets(b));
    expectOk(await bc.relayAcks(b));
    const path = `transfer/${bc.b.clientId}/transfer/${ab.b.clientId}/${DENOM}`;
    const onC = ibcDenom(path);
    expect(c.balance(carol.address, onC)).toBe(300n);
    expect(c.ibc.transfer.fullPath(c.ctx(), onC)).toBe(path);
    // C → B: burned on C, released from B's escrow as the one-hop voucher.
    expectOk(
      c.deliver(carol, [
        transferMsg({ sender: carol.address, receiver: bob.address, sourceClient: bc.b.clientId, timeoutTimestamp: later() }, onC, '100'),
      ]),
    );
    expectOk(await bc.relayPackets(c));
    expectOk(await bc.relayAcks(c));
    expect(c.tokens.getSupply(c.ctx(), onC)).toBe(200n);
    expect(b.balance(escrowOf(b, bc.a.clientId), onB)).toBe(200n);
    expect(b.balance(bob.address, onB)).toBe(800n);
    for (const z of [a, b, c]) expect(z.app.checkInvariants()).toEqual([]);
  });

  test('a second node of each zone replays every block to the same app hashes', async () => {
    const { clock, a, b, relayer } = twoZones();
    const alice = a.accounts[1]!;
    const bob = b.accounts[2]!;
    expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: bob.address,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: 'cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu',
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    expectOk(await relayer.relayPackets(a));
    expectOk(await relayer.relayAcks(a));
    expect(await a.replayDivergences()).toEqual([]);
    expect(await b.replayDivergences()).toEqual([]);
  });

  test('genesis export of a zone with clients and packets in flight re-imports to the same app hash', async () => {
    const { clock, a, b, relayer } = twoZones();
    const alice = a.accounts[1]!;
    expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: b.accounts[2]!.address,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    expectOk(await relayer.relayPackets(a));
    const exported = a.app.exportGenesis().ibc as { entries: unknown[] };
    expect(exported.entries.length).toBeGreaterThan(5);
    for (const z of [a, b]) {
      const { exported: before, imported } = await z.importExport();
      expect(Buffer.from(imported).toString('hex')).toBe(Buffer.from(before).toString('hex'));
    }
  });

  test('queries give a relayer everything it needs', async () => {
    const { clock, a, b, relayer } = twoZones();
    const alice = a.accounts[1]!;
    const bob = b.accounts[2]!;
    expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: bob.address,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    const seq = a.query('/ibc.core.channel.v2.Query/NextSequenceSend', QueryNextSequenceSendRequest, QueryNextSequenceSendResponse, {
      clientId: relayer.a.clientId,
    });
    expect(seq.nextSequenceSend).toBe(2n);
    const commitment = a.query('/ibc.core.channel.v2.Query/PacketCommitment', QueryPacketCommitmentRequest, QueryPacketCommitmentResponse, {
      clientId: relayer.a.clientId,
      sequence: 1n,
    });
    const [pending] = relayer.pending(relayer.a);
    expect(Buffer.from(commitment.commitment)).toEqual(Buffer.from(commitPacket(pending!)));
    const cp = b.query('/ibc.core.client.v2.Query/CounterpartyInfo', QueryCounterpartyInfoRequest, QueryCounterpartyInfoResponse, {
      clientId: relayer.b.clientId,
    });
    expect(cp.counterpartyInfo).toEqual({ clientId: relayer.a.clientId, merklePrefix: [new TextEncoder().encode('ibc/')] });
    const clients = a.query('/parazone.ibc.v1.Query/Clients', QueryClientsRequest, QueryClientsResponse, {}).clients;
    expect(clients).toEqual([
      expect.objectContaining({
        clientId: relayer.a.clientId,
        chainId: 'zone-b-1',
        frozen: false,
        counterpartyClientId: relayer.b.clientId,
        creator: a.accounts[0]!.address,
      }),
    ]);
    expectOk(await relayer.relayPackets(a));
    const receipt = b.query('/ibc.core.channel.v2.Query/PacketReceipt', QueryPacketReceiptRequest, QueryPacketReceiptResponse, {
      clientId: relayer.b.clientId,
      sequence: 1n,
    });
    expect(receipt.received).toBe(true);
    const ackCommitment = b.query(
      '/ibc.core.channel.v2.Query/PacketAcknowledgement',
      QueryPacketAcknowledgementRequest,
      QueryPacketAcknowledgementResponse,
      { clientId: relayer.b.clientId, sequence: 1n },
    );
    expect(Buffer.from(ackCommitment.acknowledgement)).toEqual(
      Buffer.from(commitAcknowledgement({ appAcknowledgements: [ICS20_SUCCESS_ACK] })),
    );
    const unacked = a.query('/ibc.core.channel.v2.Query/UnreceivedAcks', QueryUnreceivedAcksRequest, QueryUnreceivedAcksResponse, {
      clientId: relayer.a.clientId,
      packetAckSequences: [1n, 2n],
    });
    expect(unacked.sequences).toEqual([1n]);
    const trace = b.query('/parazone.ibc.v1.Query/DenomTrace', QueryDenomTraceRequest, QueryDenomTraceResponse, {
      denom: ibcDenom(`transfer/${relayer.b.clientId}/${DENOM}`),
    });
    expect(trace.path).toBe(`transfer/${relayer.b.clientId}/${DENOM}`);
    const status = a.query('/ibc.core.client.v1.Query/ClientStatus', QueryClientStatusRequest, QueryClientStatusResponse, {
      clientId: relayer.a.clientId,
    });
    expect(status.status).toBe('Active');
  });

  test('send rules: timeout within 24 h, and an expired client carries nothing', () => {
    const { clock, a, b, relayer } = twoZones();
    const alice = a.accounts[1]!;
    const bob = b.accounts[2]!;
    const send = (timeoutTimestamp: bigint) =>
      a.deliver(alice, [transferMsg({ sender: alice.address, receiver: bob.address, sourceClient: relayer.a.clientId, timeoutTimestamp })]);
    expectFail(send(clock.seconds + 25n * 3600n), 'ibc', 10, 'more than 24h');
    expectFail(send(clock.seconds - 10n), 'ibc', 8);
    expectFail(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: bob.address,
          sourceClient: '07-tendermint-9',
          timeoutTimestamp: clock.seconds + 60n,
        }),
      ]),
      'ibc',
      4,
    );
    expectOk(send(clock.seconds + 3600n));
    // Nobody relays for longer than the trusting period (14 days): both clients expire.
    clock.advance(15n * 24n * 3600n);
    a.block();
    expect(a.ibc.clients.status(a.ctx(), relayer.a.clientId)).toBe('Expired');
    expectFail(send(clock.seconds + 3600n), 'ibc', 3, 'Expired');
    expectFail(b.deliver(b.accounts[0]!, relayer.recvMsgs(a).msgs), '07-tendermint', 26);
  });

  test('only the client creator may register its counterparty, once', () => {
    const { a, relayer } = twoZones();
    const other = a.accounts[1]!;
    const reg = (signer: typeof other, counterpartyClientId: string) =>
      a.deliver(signer, [
        {
          typeUrl: IbcTypeUrls.registerCounterparty,
          value: MsgRegisterCounterparty.encode({
            clientId: relayer.a.clientId,
            counterpartyMerklePrefix: [new TextEncoder().encode('ibc/')],
            counterpartyClientId,
            signer: signer.address,
          }).finish(),
        },
      ]);
    expectFail(reg(other, '07-tendermint-5'), 'sdk', 4);
    expectFail(reg(a.accounts[0]!, '07-tendermint-5'), 'ibc', 6);
    expect(a.ibc.clients.getCounterparty(a.ctx(), relayer.a.clientId)?.clientId).toBe(relayer.b.clientId);
  });
});

describe('refunds', () => {
  test('a timed-out transfer is refunded once, on a proof that the destination never received it', () => {
    const { clock, a, b, relayer } = twoZones();
    const alice = a.accounts[1]!;
    const bob = b.accounts[2]!;
    const before = a.balance(alice.address, DENOM);
    expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: bob.address,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 60n,
        }),
      ]),
    );
    expect(a.balance(alice.address, DENOM)).toBe(before - FEE - 1000n);

    // Too early: the destination's known time has not reached the timeout.
    const early = relayer.timeoutMsgs(a);
    expectFail(a.deliver(a.accounts[0]!, early), 'ibc', 9, 'before the timeout');

    clock.advance(120n);
    // Late delivery is refused by the destination itself.
    const late = b.deliver(b.accounts[0]!, relayer.recvMsgs(a).msgs);
    expectFail(late, 'ibc', 8, 'has reached the timeout');
    expect(b.ibc.packets.hasReceipt(b.ctx(), relayer.b.clientId, 1n)).toBe(false);

    const msgs = relayer.timeoutMsgs(a);
    expectOk(a.deliver(a.accounts[0]!, msgs), 'timeout');
    expect(a.balance(alice.address, DENOM)).toBe(before - FEE);
    expect(a.balance(escrowOf(a, relayer.a.clientId), DENOM)).toBe(0n);
    expect(a.ibc.transfer.totalEscrow(a.ctx(), DENOM)).toBe(0n);
    expect(relayer.pending(relayer.a)).toHaveLength(0);

    // The same timeout again: the commitment is gone, the tx fails, nobody is paid twice.
    expectFail(a.deliver(a.accounts[0]!, msgs.slice(1)), 'ibc', 13, 'already acknowledged or timed out');
    expect(a.balance(alice.address, DENOM)).toBe(before - FEE);
    expect(a.app.checkInvariants()).toEqual([]);
  });

  test('a transfer the destination refuses comes back as the universal error ack and is refunded', async () => {
    const { clock, a, b, relayer } = twoZones();
    const alice = a.accounts[1]!;
    const before = a.balance(alice.address, DENOM);
    // "cosmos1…" is not an address of zone B (prefix "para"): ICS-20 on B fails, core acks with the error sentinel.
    const receiver = 'cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu';
    expectOk(
      a.deliver(alice, [
        transferMsg({ sender: alice.address, receiver, sourceClient: relayer.a.clientId, timeoutTimestamp: clock.seconds + 3600n }),
      ]),
    );
    const recv = expectOk(await relayer.relayPackets(a), 'recv');
    expect(recv.events.some((e) => e.type === 'recv_packet_error')).toBe(true);
    const ack = b.ibc.packets.getAcknowledgement(b.ctx(), relayer.b.clientId, 1n)!;
    expect(Buffer.from(ack.appAcknowledgements[0]!)).toEqual(Buffer.from(UNIVERSAL_ERROR_ACK));
    expect(b.ibc.packets.hasReceipt(b.ctx(), relayer.b.clientId, 1n)).toBe(true);
    // Nothing of the failed app call is left on B.
    const voucher = ibcDenom(`transfer/${relayer.b.clientId}/${DENOM}`);
    expect(b.tokens.getSupply(b.ctx(), voucher)).toBe(0n);

    const acked = expectOk(await relayer.relayAcks(a), 'ack');
    expect(acked.events.some((e) => e.type === 'fungible_token_packet_ack' && e.attributes.some((x) => x.key === 'refunded'))).toBe(true);
    expect(a.balance(alice.address, DENOM)).toBe(before - FEE);

    // A blocked module account on B (the fee collector) is refused the same way.
    const blocked = b.config.addresses.moduleAddress('fee_collector');
    expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: blocked,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    expectOk(await relayer.relayPackets(a));
    expect(Buffer.from(b.ibc.packets.getAcknowledgement(b.ctx(), relayer.b.clientId, 2n)!.appAcknowledgements[0]!)).toEqual(
      Buffer.from(UNIVERSAL_ERROR_ACK),
    );
    expectOk(await relayer.relayAcks(a));
    expect(a.balance(alice.address, DENOM)).toBe(before - 2n * FEE);
    expect(a.balance(escrowOf(a, relayer.a.clientId), DENOM)).toBe(0n);
    expect(a.app.checkInvariants()).toEqual([]);
    expect(b.app.checkInvariants()).toEqual([]);
  });
});

describe('replays and forgeries', () => {
  test('a second receive is a no-op, a second ack fails, and neither pays twice', () => {
    const { clock, a, b, relayer } = twoZones();
    const alice = a.accounts[1]!;
    const bob = b.accounts[2]!;
    expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: bob.address,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    const { msgs } = relayer.recvMsgs(a);
    expectOk(b.deliver(b.accounts[0]!, msgs));
    const voucher = ibcDenom(`transfer/${relayer.b.clientId}/${DENOM}`);
    expect(b.balance(bob.address, voucher)).toBe(1000n);
    // The same recv again (without the update, already applied): success, result NOOP, no mint.
    const again = expectOk(b.deliver(b.accounts[0]!, msgs.slice(1)), 'replayed recv');
    expect(MsgRecvPacketResponse.decode(msgResponses(again)[0]!.value).result).toBe(ResponseResultType.RESPONSE_RESULT_TYPE_NOOP);
    expect(b.balance(bob.address, voucher)).toBe(1000n);
    expect(b.tokens.getSupply(b.ctx(), voucher)).toBe(1000n);

    // Capture the ack msgs, deliver them, then replay them.
    const packet = relayer.pending(relayer.a)[0]!;
    b.block();
    const L = b.height;
    const ackMsg = {
      typeUrl: IbcTypeUrls.acknowledgement,
      value: MsgAcknowledgement.encode({
        packet,
        acknowledgement: { appAcknowledgements: [ICS20_SUCCESS_ACK] },
        proofAcked: TestRelayer.prove(b, packetAckKey(relayer.b.clientId, 1n), L - 1),
        proofHeight: relayer.height(b, L),
        signer: a.accounts[0]!.address,
      }).finish(),
    };
    expectOk(a.deliver(a.accounts[0]!, [relayer.updateMsg(relayer.a, b, L), ackMsg]));
    expectFail(a.deliver(a.accounts[0]!, [ackMsg]), 'ibc', 13);
    expect(a.balance(escrowOf(a, relayer.a.clientId), DENOM)).toBe(1000n);
  });

  test('forged packets, proofs and acks are rejected without any state change or freezing', () => {
    const { clock, a, b, relayer } = twoZones();
    const alice = a.accounts[1]!;
    const bob = b.accounts[2]!;
    expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: bob.address,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    const { msgs, packets, proofHeight } = relayer.recvMsgs(a);
    expectOk(b.deliver(b.accounts[0]!, msgs.slice(0, 1)), 'update only');
    // A's state moves on (another transfer): a proof from that later root is genuine but for another height.
    expectOk(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: bob.address,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    const laterProof = TestRelayer.prove(a, packetCommitmentKey(relayer.a.clientId, 1n), a.height);
    const genuine = MsgRecvPacket.decode(msgs[1]!.value);
    const send = (m: MsgRecvPacket) =>
      b.deliver(b.accounts[0]!, [{ typeUrl: IbcTypeUrls.recvPacket, value: MsgRecvPacket.encode(m).finish() }]);
    const packet = packets[0]!;
    const tamperedData = new TextEncoder().encode(
      new TextDecoder().decode(packet.payloads[0]!.value).replace('"amount":"1000"', '"amount":"9000"'),
    );
    const cases: [string, MsgRecvPacket, string][] = [
      ['tampered amount', { ...genuine, packet: { ...packet, payloads: [{ ...packet.payloads[0]!, value: tamperedData }] } }, 'ibc:11'],
      ['tampered timeout', { ...genuine, packet: { ...packet, timeoutTimestamp: packet.timeoutTimestamp + 1n } }, 'ibc:11'],
      ['tampered version', { ...genuine, packet: { ...packet, payloads: [{ ...packet.payloads[0]!, version: 'ics20-2' }] } }, 'ibc:11'],
      ['another sequence', { ...genuine, packet: { ...packet, sequence: 2n } }, 'ibc:11'],
      ['proof from the wrong height', { ...genuine, proofCommitment: laterProof }, 'ibc:11'],
      [
        'non-membership proof',
        {
          ...genuine,
          proofCommitment: TestRelayer.prove(a, packetCommitmentKey(relayer.a.clientId, 99n), Number(proofHeight.revisionHeight) - 1),
        },
        'ibc:11',
      ],
      ['garbage proof', { ...genuine, proofCommitment: Uint8Array.of(1, 2, 3) }, 'sdk:18'],
    ];
    for (const [name, m, error] of cases) {
      const r = send(m);
      expect({ name, error: `${r.codespace}:${r.code}` }).toEqual({ name, error });
    }
    expect(b.ibc.packets.hasReceipt(b.ctx(), relayer.b.clientId, 1n)).toBe(false);
    expect(b.ibc.packets.hasReceipt(b.ctx(), relayer.b.clientId, 2n)).toBe(false);
    expect(b.ibc.packets.getAcknowledgement(b.ctx(), relayer.b.clientId, 1n)).toBeUndefined();
    expect(b.ibc.clients.status(b.ctx(), relayer.b.clientId)).toBe('Active');
    // The genuine one still goes through.
    expectOk(send(genuine), 'genuine recv');

    // A forged ack (claims success for a packet the destination refused, or any other bytes) fails on A.
    b.block();
    const L = b.height;
    const forgedAck = MsgAcknowledgement.encode({
      packet,
      acknowledgement: { appAcknowledgements: [UNIVERSAL_ERROR_ACK] },
      proofAcked: TestRelayer.prove(b, packetAckKey(relayer.b.clientId, 1n), L - 1),
      proofHeight: relayer.height(b, L),
      signer: a.accounts[0]!.address,
    }).finish();
    expectFail(
      a.deliver(a.accounts[0]!, [relayer.updateMsg(relayer.a, b, L), { typeUrl: IbcTypeUrls.acknowledgement, value: forgedAck }]),
      'ibc',
      11,
    );
    // A timeout with a proof of the receipt's presence fails too.
    clock.advance(4000n);
    b.block();
    const M = b.height;
    const forgedTimeout = MsgTimeout.encode({
      packet,
      proofUnreceived: TestRelayer.prove(b, packetReceiptKey(relayer.b.clientId, 1n), M - 1),
      proofHeight: relayer.height(b, M),
      signer: a.accounts[0]!.address,
    }).finish();
    expectFail(
      a.deliver(a.accounts[0]!, [relayer.updateMsg(relayer.a, b, M), { typeUrl: IbcTypeUrls.timeout, value: forgedTimeout }]),
      'ibc',
      11,
    );
    expect(a.balance(escrowOf(a, relayer.a.clientId), DENOM)).toBe(2000n);
    expect(a.ibc.packets.getCommitment(a.ctx(), relayer.a.clientId, 1n)).toBeDefined();
    expect(a.ibc.clients.status(a.ctx(), relayer.a.clientId)).toBe('Active');
  });

  test('forged headers are rejected and leave the client as it was', () => {
    const { a, b, relayer } = twoZones();
    b.block();
    const real = b.signedHeader();
    const impostor = new (
      b.validator.constructor as typeof import('../../modules/ibc/light-clients/07-tendermint/test-signer.js').TestValidatorKey
    )(new Uint8Array(32).fill(99));
    const latest = () => relayer.clientLatestHeight(relayer.a).revisionHeight;
    const was = latest();
    // 1. Signed by a key that is not B's validator (same header, foreign signature).
    const wrongSigner = resign(real.header!, b.validators, [impostor]);
    expectFail(a.deliver(a.accounts[0]!, [relayer.updateMsg(relayer.a, b, b.height, wrongSigner)]), '07-tendermint');
    // 2. A different app hash under the genuine commit: the commit signs another block.
    const swapped = { header: { ...real.header!, appHash: new Uint8Array(32).fill(7) }, commit: real.commit };
    expectFail(a.deliver(a.accounts[0]!, [relayer.updateMsg(relayer.a, b, b.height, swapped)]), '07-tendermint', 6);
    // 3. Another chain's header.
    const otherChain = resign({ ...real.header!, chainId: 'zone-c-1' }, b.validators, [b.validator]);
    expectFail(a.deliver(a.accounts[0]!, [relayer.updateMsg(relayer.a, b, b.height, otherChain)]), '07-tendermint');
    expect(latest()).toBe(was);
    expect(a.ibc.clients.status(a.ctx(), relayer.a.clientId)).toBe('Active');
    expectOk(a.deliver(a.accounts[0]!, [relayer.updateMsg(relayer.a, b, b.height)]), 'genuine update');
    expect(latest()).toBe(BigInt(b.height));
  });

  test('misbehaviour freezes the client, which then refuses packets both ways', () => {
    const { clock, a, b, relayer } = twoZones();
    const bob = b.accounts[2]!;
    const alice = a.accounts[1]!;
    expectOk(
      b.deliver(bob, [
        transferMsg({
          sender: bob.address,
          receiver: alice.address,
          sourceClient: relayer.b.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    const { msgs } = relayer.recvMsgs(b); // B's header L and proofs, not yet delivered to A
    // B's validator double-signs: a second block at height L with another app hash.
    const trusted = relayer.clientLatestHeight(relayer.a);
    const real = b.signedHeader();
    const fork = resign({ ...real.header!, appHash: new Uint8Array(32).fill(1) }, b.validators, [b.validator]);
    const asHeader = (signedHeader: typeof real) =>
      Header.fromPartial({ signedHeader, validatorSet: b.validatorSet, trustedHeight: trusted, trustedValidators: b.validatorSet });
    const evidence = Misbehaviour.fromPartial({ clientId: relayer.a.clientId, header1: asHeader(real), header2: asHeader(fork) });
    expectOk(
      a.deliver(a.accounts[0]!, [
        {
          typeUrl: IbcTypeUrls.submitMisbehaviour,
          value: MsgSubmitMisbehaviour.encode({
            clientId: relayer.a.clientId,
            misbehaviour: { typeUrl: Misbehaviour.typeUrl, value: Misbehaviour.encode(evidence).finish() },
            signer: a.accounts[0]!.address,
          }).finish(),
        },
      ]),
      'misbehaviour',
    );
    expect(a.ibc.clients.status(a.ctx(), relayer.a.clientId)).toBe('Frozen');
    // Updates and packets on the frozen client are refused.
    expectFail(a.deliver(a.accounts[0]!, msgs), '07-tendermint', 21);
    expectFail(a.deliver(a.accounts[0]!, msgs.slice(1)), 'ibc', 3);
    expectFail(
      a.deliver(alice, [
        transferMsg({
          sender: alice.address,
          receiver: bob.address,
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
      'ibc',
      3,
    );
    expect(a.ibc.packets.hasReceipt(a.ctx(), relayer.a.clientId, 1n)).toBe(false);
  });
});

describe('cross-zone drug custody', () => {
  const GTIN = '00312345678906';
  const DR = '/parazone.drugregistry.v1.';
  const ref = (serial: string) => ({ gtin: GTIN, serial });

  const unitsMsg = (m: Partial<MsgTransferUnits>) => ({
    typeUrl: IbcTypeUrls.transferUnits,
    value: MsgTransferUnits.encode(MsgTransferUnits.fromPartial(m)).finish(),
  });

  function custodySetup() {
    const clock = new Clock();
    // The same test keys exist on both zones; roles are per zone.
    const tmp = new Zone(clock, { chainId: 'tmp-0', clock }, 9);
    const [, m, w1, w2, stranger] = tmp.accounts.map((x) => x.address);
    zones.push(tmp);
    const a = mkZone(
      clock,
      'zone-a-1',
      [
        { address: m!, roles: ['MANUFACTURER'], companyPrefixes: ['0312345'] },
        { address: w2!, roles: ['WHOLESALER'] },
      ],
      1,
    );
    const b = mkZone(clock, 'zone-b-1', [{ address: w1!, roles: ['WHOLESALER'] }], 2);
    const relayer = TestRelayer.connect(a, b);
    // Untrusted clients carry no units (each zone's governance approves its client of the other).
    const M = a.accounts[1]!;
    expectFail(
      a.deliver(M, [
        unitsMsg({
          sender: M.address,
          receiver: w1!,
          units: [ref('S1')],
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
      'ibc',
      22,
    );
    const trust = (z: Zone, clientId: string) => ({
      typeUrl: IbcTypeUrls.setCustodyTrust,
      value: MsgSetCustodyTrust.encode({ authority: z.config.addresses.moduleAddress('governance'), clientId, trusted: true }).finish(),
    });
    a.governance([trust(a, relayer.a.clientId)]);
    b.governance([trust(b, relayer.b.clientId)]);
    expect(a.ibc.custody!.isTrusted(a.ctx(), relayer.a.clientId)).toBe(true);
    expect(b.ibc.custody!.isTrusted(b.ctx(), relayer.b.clientId)).toBe(true);
    expectOk(
      a.deliver(M, [
        {
          typeUrl: DR + 'MsgRegisterProduct',
          value: MsgRegisterProduct.encode(
            MsgRegisterProduct.fromPartial({
              signer: M.address,
              gtin: GTIN,
              name: 'Examplamab',
              strength: '10 mg',
              dosageForm: 'tablet',
              packSize: '30',
              packagingLevel: 'UNIT',
            }),
          ).finish(),
        },
        {
          typeUrl: DR + 'MsgCommissionBatch',
          value: MsgCommissionBatch.encode(
            MsgCommissionBatch.fromPartial({ signer: M.address, gtin: GTIN, lot: 'LOT1', expiry: '301231' }),
          ).finish(),
        },
        {
          typeUrl: DR + 'MsgCommissionUnits',
          value: MsgCommissionUnits.encode(
            MsgCommissionUnits.fromPartial({ signer: M.address, gtin: GTIN, lot: 'LOT1', serials: ['S1', 'S2', 'S3', 'S4'] }),
          ).finish(),
        },
      ]),
      'commission',
    );
    return { clock, a, b, relayer, M, W1: b.accounts[2]!, W2: a.accounts[3]!, stranger: stranger! };
  }

  const unit = (z: Zone, serial: string) => z.drugs.getUnit(z.ctx(), GTIN, serial)!;

  test('units travel A → B locked until acknowledged, with their history, and come back to A', async () => {
    const { clock, a, b, relayer, M, W1, W2 } = custodySetup();
    const sent = expectOk(
      a.deliver(M, [
        unitsMsg({
          sender: M.address,
          receiver: W1.address,
          units: [ref('S1'), ref('S2')],
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
      'transfer units',
    );
    expect(MsgTransferUnitsResponse.decode(msgResponses(sent)[0]!.value)).toEqual({ sequence: 1n, count: 2n });
    expect(unit(a, 'S1')).toMatchObject({
      status: 'LOCKED',
      holder: M.address,
      decommission: { reason: 'LOCKED', by: a.ibc.moduleAddress },
    });
    // While in flight the holder cannot undo the lock or ship the unit elsewhere.
    expect(
      a.deliver(M, [
        { typeUrl: DR + 'MsgUndoDecommission', value: MsgUndoDecommission.encode({ signer: M.address, units: [ref('S1')] }).finish() },
      ]).code,
    ).not.toBe(0);
    expect(
      a.deliver(M, [
        {
          typeUrl: DR + 'MsgShip',
          value: MsgShip.encode(MsgShip.fromPartial({ signer: M.address, to: W2.address, purpose: 'SALE', units: [ref('S1')] })).finish(),
        },
      ]).code,
    ).not.toBe(0);
    expect(a.app.checkInvariants()).toEqual([]);

    expectOk(await relayer.relayPackets(a), 'recv units');
    const arrived = unit(b, 'S1');
    expect(arrived).toMatchObject({ status: 'ACTIVE', holder: W1.address, lot: 'LOT1', nextEventSeq: 4n });
    const histB = b.drugs.state(b.ctx());
    const evB = [...histB.scan(UnitEventCodec, new TextEncoder().encode(`ev/${GTIN}|S1|`))];
    expect(evB.map((e) => e.type)).toEqual(['COMMISSIONED', 'SHIPPED', 'RECEIVED']);
    expect(evB[1]).toMatchObject({ actor: M.address, to: `zone-b-1/${W1.address}`, shipmentId: `ibc/${relayer.a.clientId}/1` });
    expect(evB[2]).toMatchObject({ holder: W1.address, status: 'ACTIVE', from: M.address, shipmentId: `ibc/${relayer.b.clientId}/1` });
    expect(evB[2]!.reason).toContain('zone-a-1');
    expect(b.drugs.state(b.ctx()).product(GTIN)).toMatchObject({ manufacturer: M.address });
    expect(b.drugs.state(b.ctx()).batch(GTIN, 'LOT1')).toMatchObject({ expiry: '2030-12-31', unitCount: 2n });
    expect(b.app.checkInvariants()).toEqual([]);
    expect(unit(a, 'S1').status).toBe('LOCKED'); // not before the ack

    expectOk(await relayer.relayAcks(a), 'ack units');
    expect(unit(a, 'S1')).toMatchObject({ status: 'EXPORTED', decommission: { reason: 'EXPORTED', by: a.ibc.moduleAddress } });
    expect(unit(a, 'S2').status).toBe('EXPORTED');
    expect(a.drugs.verify(a.ctx(), { gtin: GTIN, serial: 'S1' })).toMatchObject({ saleable: false });
    expect(a.app.checkInvariants()).toEqual([]);

    // Back home: W1 on B ships S1 to W2 on A.
    expectOk(
      b.deliver(W1, [
        unitsMsg({
          sender: W1.address,
          receiver: W2.address,
          units: [ref('S1')],
          sourceClient: relayer.b.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
      'ship back',
    );
    expectOk(await relayer.relayPackets(b), 'recv back');
    expectOk(await relayer.relayAcks(b), 'ack back');
    expect(unit(a, 'S1')).toMatchObject({ status: 'ACTIVE', holder: W2.address });
    const evA = [...a.drugs.state(a.ctx()).scan(UnitEventCodec, new TextEncoder().encode(`ev/${GTIN}|S1|`))];
    expect(evA.map((e) => e.type)).toEqual(['COMMISSIONED', 'SHIPPED', 'DECOMMISSIONED', 'RECEIVED', 'SHIPPED', 'RECEIVED']);
    expect(evA.map((e) => e.seq)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(unit(b, 'S1')).toMatchObject({ status: 'EXPORTED' });
    expect(a.app.checkInvariants()).toEqual([]);
    expect(b.app.checkInvariants()).toEqual([]);
  });

  const refusedAndTimedOut = () => async () => {
    const { clock, a, relayer, M, stranger } = custodySetup();
    // The receiver is not a participant on B: B refuses, A unlocks on the error ack.
    expectOk(
      a.deliver(M, [
        unitsMsg({
          sender: M.address,
          receiver: stranger,
          units: [ref('S3')],
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 3600n,
        }),
      ]),
    );
    expect(unit(a, 'S3').status).toBe('LOCKED');
    expectOk(await relayer.relayPackets(a));
    expect(relayer.b.zone.drugs.getUnit(relayer.b.zone.ctx(), GTIN, 'S3')).toBeUndefined();
    expectOk(await relayer.relayAcks(a));
    expect(unit(a, 'S3')).toMatchObject({ status: 'ACTIVE', holder: M.address });
    expect(unit(a, 'S3').decommission).toBeUndefined();

    // A whole batch (every loose ACTIVE unit M holds: S1–S4) times out.
    expectOk(
      a.deliver(M, [
        unitsMsg({
          sender: M.address,
          receiver: stranger,
          batchGtin: GTIN,
          batchLot: 'LOT1',
          sourceClient: relayer.a.clientId,
          timeoutTimestamp: clock.seconds + 30n,
        }),
      ]),
    );
    expect(['S1', 'S2', 'S3', 'S4'].map((s) => unit(a, s).status)).toEqual(['LOCKED', 'LOCKED', 'LOCKED', 'LOCKED']);
    clock.advance(60n);
    expectOk(await relayer.relayTimeouts(a), 'timeout');
    expect(['S1', 'S2', 'S3', 'S4'].map((s) => unit(a, s).status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(a.app.checkInvariants()).toEqual([]);
  };

  test('refused or timed-out shipments unlock the units back to the sender', refusedAndTimedOut());

  // Modules never commit empty values (index entries store PRESENT; the store's context refuses
  // empty ones), so every receipt-absence proof a timeout needs verifies, whatever its neighbours.
  test('every receipt-absence proof verifies: no module commits an unprovable empty value', () => {
    const clock = new Clock();
    const failuresOn = (z: Zone) => {
      z.block();
      const h = z.height;
      const root = z.store.rootAt(h);
      const failures = new Set<string>();
      for (let seq = 1n; seq <= 300n; seq++) {
        const key = packetReceiptKey('07-tendermint-0', seq);
        const proof = MerkleProof.decode(TestRelayer.prove(z, key, h)).proofs[0];
        try {
          assertNonMembership(SmtSpec, root, proof, new Uint8Array([...new TextEncoder().encode('ibc/'), ...key]));
        } catch (err) {
          failures.add((err as Error).message.replace(/^.*(leaf op needs value).*$/, '$1'));
        }
      }
      return [...failures];
    };
    expect(failuresOn(mkZone(clock, 'zone-x-1', undefined, 4))).toEqual([]);
  });
});
