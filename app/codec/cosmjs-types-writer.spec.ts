import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { Proposal } from 'cosmjs-types/cosmos/gov/v1/gov';
import { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { ResponseFinalizeBlock, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import './cosmjs-types-writer.js';

/** Unsigned varint of `value`, computed independently of any protobuf library. */
function varint(value: bigint): string {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out).toString('hex');
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('cosmjs-types writer allocation', () => {
  const account = BaseAccount.fromPartial({ address: 'para1xyz', accountNumber: 5n, sequence: 7n });

  it('gives every encoded message its own exact-size buffer', () => {
    const bytes = BaseAccount.encode(account).finish();
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('encodes exactly the same bytes as before (round trip and field order)', () => {
    const bytes = BaseAccount.encode(account).finish();
    expect(hex(bytes)).toBe('0a08706172613178797a18052007');
    expect(BaseAccount.decode(bytes)).toEqual(account);
  });
});

describe('cosmjs-types writer 64-bit varints', () => {
  // cosmjs-types 0.11 writes a uint64 in [2^31, 2^32) as one byte and four zero bytes.
  const UNSIGNED = [
    0n,
    1n,
    127n,
    128n,
    2n ** 31n - 1n,
    2n ** 31n,
    2n ** 31n + 5n,
    2n ** 31n + 200n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 32n + 2n ** 31n,
    2n ** 53n,
    2n ** 63n,
    2n ** 64n - 1n,
  ];
  const SIGNED = [
    0n,
    1n,
    -1n,
    2n ** 31n - 1n,
    2n ** 31n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 53n,
    2n ** 63n - 1n,
    -(2n ** 31n),
    -(2n ** 32n),
    -(2n ** 63n),
  ];

  it.each(UNSIGNED)('BaseAccount round-trips account number and sequence %s', (n) => {
    const value = BaseAccount.fromPartial({ address: 'para1xyz', accountNumber: n, sequence: n });
    const bytes = BaseAccount.encode(value).finish();
    const field = (tag: string) => (n === 0n ? '' : tag + varint(n));
    expect(hex(bytes)).toBe('0a08706172613178797a' + field('18') + field('20'));
    expect(BaseAccount.decode(bytes)).toEqual(value);
  });

  it.each(UNSIGNED)('uint64 %s: bytes are the protobuf varint, read back by the reader', (n) => {
    const bytes = new BinaryWriter().uint64(n).finish();
    expect(hex(bytes)).toBe(varint(n));
    expect(new BinaryReader(bytes).uint64()).toBe(n);
  });

  it.each(SIGNED)('int64 %s: two’s-complement varint, read back by the reader', (n) => {
    const bytes = new BinaryWriter().int64(n).finish();
    expect(hex(bytes)).toBe(varint(n));
    expect(new BinaryReader(bytes).int64()).toBe(n);
  });

  it.each(SIGNED)('sint64 %s: zig-zag varint, read back by the reader', (n) => {
    const bytes = new BinaryWriter().sint64(n).finish();
    expect(hex(bytes)).toBe(varint((n << 1n) ^ (n >> 63n)));
    expect(new BinaryReader(bytes).sint64()).toBe(n);
  });

  it('accepts the number and string forms cosmjs callers pass', () => {
    expect(hex(new BinaryWriter().uint64(2 ** 31).finish())).toBe(varint(2n ** 31n));
    expect(hex(new BinaryWriter().uint64('4294967295').finish())).toBe(varint(2n ** 32n - 1n));
    expect(hex(new BinaryWriter().int64(-5).finish())).toBe(varint(-5n));
  });

  it('round-trips the 64-bit fields the chain writes: heights, gas, timestamps, ids, amounts', () => {
    for (const n of [2n ** 31n, 2n ** 31n + 1n, 2n ** 32n - 1n, 2n ** 53n]) {
      const time = Timestamp.fromPartial({ seconds: n, nanos: 5 });
      expect(Timestamp.decode(Timestamp.encode(time).finish())).toEqual(time);
      const height = Height.fromPartial({ revisionNumber: n, revisionHeight: n });
      expect(Height.decode(Height.encode(height).finish())).toEqual(height);
      const query = ResponseQuery.fromPartial({ height: n, index: n });
      expect(ResponseQuery.decode(ResponseQuery.encode(query).finish())).toEqual(query);
      const block = ResponseFinalizeBlock.fromPartial({ txResults: [{ gasWanted: n, gasUsed: n }] });
      expect(ResponseFinalizeBlock.decode(ResponseFinalizeBlock.encode(block).finish())).toEqual(block);
      const proposal = Proposal.fromPartial({ id: n, submitTime: { seconds: n, nanos: 0 } });
      expect(Proposal.decode(Proposal.encode(proposal).finish())).toEqual(proposal);
    }
    const coin = Coin.fromPartial({ denom: 'upara', amount: '4294967295' });
    expect(Coin.decode(Coin.encode(coin).finish())).toEqual(coin);
  });
});
