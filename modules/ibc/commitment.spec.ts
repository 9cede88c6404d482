/**
 * Byte formats against ibc-go v10.2.0's own vectors (modules/core/04-channel/v2/types/
 * commitment_test.go, 24-host/v2/packet_keys.go, apps/transfer docs), so a Go counterparty
 * computes the same commitments and keys.
 */
import { createHash } from 'node:crypto';
import { commitAcknowledgement, commitPacket, UNIVERSAL_ERROR_ACK } from './commitment.js';
import { decodePacketData, encodePacketData, escrowAddressBytes, ibcDenom } from './apps/transfer.js';
import { isClientId, packetAckKey, packetCommitmentKey, packetReceiptKey } from './keys.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('IBC v2 commitments (ibc-go TestCommitPacket / TestCommitAcknowledgement)', () => {
  test('packet commitment of the JSON transfer packet', () => {
    // Go's json.Marshal of FungibleTokenPacketData: struct field order.
    const value = utf8('{"denom":"uatom","amount":"1000000","sender":"sender","receiver":"receiver","memo":"memo"}');
    const packet = {
      sequence: 1n,
      sourceClient: '07-tendermint-0',
      destinationClient: '07-tendermint-1',
      timeoutTimestamp: 100n,
      payloads: [{ sourcePort: 'transfer', destinationPort: 'transfer', version: 'ics20-1', encoding: 'application/json', value }],
    };
    expect(hex(commitPacket(packet))).toBe('a096722aa6534040a0efbdae05765132a7b223ad306d6512f3734821bd046505');
    // Every field is committed: changing any one changes the commitment.
    const variants = [
      { ...packet, destinationClient: '07-tendermint-2' },
      { ...packet, timeoutTimestamp: 101n },
      { ...packet, payloads: [{ ...packet.payloads[0]!, version: 'ics20-2' }] },
      { ...packet, payloads: [{ ...packet.payloads[0]!, value: utf8('{}') }] },
    ];
    for (const v of variants) expect(hex(commitPacket(v))).not.toBe('a096722aa6534040a0efbdae05765132a7b223ad306d6512f3734821bd046505');
  });

  test('acknowledgement commitments, success and the universal error ack', () => {
    expect(hex(commitAcknowledgement({ appAcknowledgements: [utf8('some bytes')] }))).toBe(
      'f03b4667413e56aaf086663267913e525c442b56fa1af4fa3f3dab9f37044c5b',
    );
    expect(hex(commitAcknowledgement({ appAcknowledgements: [UNIVERSAL_ERROR_ACK] }))).toBe(
      'e2fb30dfbf7abdeaca82d426534d2b3a9d5444dd2a87fa16d38b77ba1a13ced7',
    );
  });

  test('host keys: <clientId> 0x01/0x02/0x03 <sequence big-endian>', () => {
    expect(hex(packetCommitmentKey('07-tendermint-0', 1n))).toBe(hex(utf8('07-tendermint-0')) + '01' + '0000000000000001');
    expect(hex(packetReceiptKey('07-tendermint-0', 258n))).toBe(hex(utf8('07-tendermint-0')) + '02' + '0000000000000102');
    expect(hex(packetAckKey('07-tendermint-7', 2n ** 64n - 1n))).toBe(hex(utf8('07-tendermint-7')) + '03' + 'ffffffffffffffff');
    expect(isClientId('07-tendermint-0')).toBe(true);
    expect(isClientId('07-tendermint-01')).toBe(false);
    expect(isClientId('clients/x')).toBe(false);
  });
});

describe('ICS-20 formats', () => {
  test('voucher denom is ibc/ + upper-case sha256 of the full path (ibc-go docs example)', () => {
    const denom = ibcDenom('transfer/channelToA/uatom');
    expect(denom).toMatch(/^ibc\/7F1D3FCF[0-9A-F]{52}A7A2$/);
    expect(denom).toBe(`ibc/${createHash('sha256').update('transfer/channelToA/uatom').digest('hex').toUpperCase()}`);
  });

  test('escrow address is sha256("ics20-1" ‖ 0x00 ‖ "transfer/<client>")[:20]', () => {
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('ics20-1'), Buffer.of(0), Buffer.from('transfer/07-tendermint-0')]))
      .digest()
      .subarray(0, 20);
    expect(hex(escrowAddressBytes('07-tendermint-0'))).toBe(expected.toString('hex'));
  });

  test('packet data: sorted keys, memo omitted when empty, strict parse', () => {
    const d = { denom: 'upara', amount: '5', sender: 'a', receiver: 'b', memo: '' };
    expect(new TextDecoder().decode(encodePacketData(d))).toBe('{"amount":"5","denom":"upara","receiver":"b","sender":"a"}');
    expect(new TextDecoder().decode(encodePacketData({ ...d, memo: 'hi' }))).toBe(
      '{"amount":"5","denom":"upara","memo":"hi","receiver":"b","sender":"a"}',
    );
    expect(decodePacketData(encodePacketData(d))).toEqual({ ...d, memo: '' });
    for (const bad of [
      'not json',
      '[]',
      '{"amount":"0","denom":"x","sender":"a","receiver":"b"}',
      '{"amount":"01","denom":"x","sender":"a","receiver":"b"}',
      '{"amount":5,"denom":"x","sender":"a","receiver":"b"}',
      '{"amount":"1","denom":"","sender":"a","receiver":"b"}',
      '{"amount":"1","denom":"x","sender":" ","receiver":"b"}',
    ]) {
      expect(() => decodePacketData(utf8(bad))).toThrow();
    }
  });
});
