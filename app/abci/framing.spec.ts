import fc from 'fast-check';
import { Request } from 'cosmjs-types/tendermint/abci/types';
import { encodeFrame, encodeUvarint, FrameDecoder, FrameError, FrameWriter, uvarintLength } from './framing.js';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Splits `bytes` at the given (sorted, deduplicated) cut points. */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const sorted = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let prev = 0;
  for (const p of sorted) {
    parts.push(bytes.subarray(prev, p));
    prev = p;
  }
  parts.push(bytes.subarray(prev));
  return parts;
}

describe('uvarint', () => {
  it('encodes unsigned LEB128 like Go binary.PutUvarint (not zig-zag)', () => {
    expect(hex(encodeUvarint(0))).toBe('00');
    expect(hex(encodeUvarint(2))).toBe('02'); // zig-zag would give 04
    expect(hex(encodeUvarint(127))).toBe('7f');
    expect(hex(encodeUvarint(128))).toBe('8001');
    expect(hex(encodeUvarint(300))).toBe('ac02');
    expect(hex(encodeUvarint(2 ** 32))).toBe('8080808010');
    expect(hex(encodeUvarint(Number.MAX_SAFE_INTEGER))).toBe('ffffffffffffff0f');
  });

  it('rejects negative and non-integer lengths', () => {
    expect(() => encodeUvarint(-1)).toThrow(FrameError);
    expect(() => encodeUvarint(1.5)).toThrow(FrameError);
  });

  it('uvarintLength matches the encoding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(uvarintLength(n)).toBe(encodeUvarint(n).length);
      }),
    );
  });
});

describe('encodeFrame', () => {
  it('matches the worked bytes of the CometBFT socket protocol', () => {
    expect(hex(encodeFrame(Request.encode(Request.fromPartial({ flush: {} })).finish()))).toBe('021200');
    expect(hex(encodeFrame(Request.encode(Request.fromPartial({ echo: { message: 'hi' } })).finish()))).toBe('060a040a026869');
  });
});

describe('FrameDecoder', () => {
  it('decodes many frames from one chunk, including empty frames', () => {
    const bodies = [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.of(9)];
    const decoder = new FrameDecoder();
    const out = decoder.push(Buffer.concat(bodies.map(encodeFrame)));
    expect(out.map(hex)).toEqual(bodies.map(hex));
    expect(decoder.idle).toBe(true);
  });

  it('handles a split inside a multi-byte varint', () => {
    const body = new Uint8Array(300).fill(7);
    const frame = encodeFrame(body); // prefix ac 02
    const decoder = new FrameDecoder();
    expect(decoder.push(frame.subarray(0, 1))).toEqual([]);
    expect(decoder.idle).toBe(false);
    expect(decoder.push(frame.subarray(1, 2))).toEqual([]);
    expect(decoder.push(frame.subarray(2, 100))).toEqual([]);
    const out = decoder.push(frame.subarray(100));
    expect(out).toHaveLength(1);
    expect(hex(out[0]!)).toBe(hex(body));
  });

  it('refuses frames above the maximum before buffering them', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 100 });
    expect(() => decoder.push(encodeUvarint(101))).toThrow(/exceeds the maximum of 100/);
    // The stream position is lost: the decoder stays failed.
    expect(() => decoder.push(Uint8Array.of(0))).toThrow(FrameError);
  });

  it('accepts a frame of exactly the maximum size', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 100 });
    expect(decoder.push(encodeFrame(new Uint8Array(100)))).toHaveLength(1);
  });

  it('refuses a garbage varint that never ends', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: Number.MAX_SAFE_INTEGER });
    expect(() => decoder.push(new Uint8Array(11).fill(0x80))).toThrow(FrameError);
  });

  it('property: any split of any frame sequence decodes to the same bodies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (bodies, points) => {
          const stream = Buffer.concat(bodies.map(encodeFrame));
          const decoder = new FrameDecoder();
          const out: Uint8Array[] = [];
          for (const part of cut(stream, points)) out.push(...decoder.push(part));
          expect(out.map(hex)).toEqual(bodies.map(hex));
          expect(decoder.idle).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: byte-at-a-time feeding decodes real ABCI requests', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200 }), { minLength: 1, maxLength: 5 }), (messages) => {
        const requests = messages.map((message) => Request.fromPartial({ echo: { message } }));
        const stream = Buffer.concat(requests.map((r) => encodeFrame(Request.encode(r).finish())));
        const decoder = new FrameDecoder();
        const out: Request[] = [];
        for (let i = 0; i < stream.length; i++) {
          for (const frame of decoder.push(stream.subarray(i, i + 1))) out.push(Request.decode(frame));
        }
        expect(out.map((r) => r.echo?.message)).toEqual(messages);
      }),
      { numRuns: 100 },
    );
  });

  it('FrameWriter lays out the same bytes as encodeFrame per message, in one buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20_000 }), { minLength: 1, maxLength: 6 }), (messages) => {
        const requests = messages.map((message) => Request.fromPartial({ echo: { message } }));
        const writer = new FrameWriter();
        for (const r of requests) writer.append((w) => Request.encode(r, w));
        expect(writer.frames).toBe(requests.length);
        const expected = Buffer.concat(requests.map((r) => encodeFrame(Request.encode(r).finish())));
        expect(writer.byteLength).toBe(expected.length);
        expect(hex(writer.take())).toBe(hex(expected));
        expect(writer.frames).toBe(0);
        expect(writer.byteLength).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('FrameWriter appends nothing for a message whose encoding throws', () => {
    const writer = new FrameWriter();
    writer.append((w) => Request.encode(Request.fromPartial({ echo: { message: 'a' } }), w));
    expect(() =>
      writer.append((w) => {
        w.uint32(7);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    writer.append((w) => Request.encode(Request.fromPartial({ echo: { message: 'b' } }), w));
    const decoded = new FrameDecoder().push(writer.take()).map((f) => Request.decode(f).echo?.message);
    expect(decoded).toEqual(['a', 'b']);
  });
});
