import { BaseError } from '../types/base-error.js';
/**
 * The CometBFT socket protocol's framing: every message is `uvarint(len(body)) ‖ body`, where the
 * length is an UNSIGNED LEB128 varint (Go's binary.PutUvarint). Tendermint ≤ v0.34 used a signed
 * zig-zag prefix; reading one as the other doubles/halves every length, so this file is the single
 * place that knows the rule.
 */

import { BinaryWriter } from 'cosmjs-types/binary';

/**
 * Frames larger than this are refused. CometBFT caps a block at 100 MiB (types.MaxBlockSizeBytes);
 * a FinalizeBlock request carrying such a block is slightly larger, so 128 MiB leaves headroom while
 * still catching garbage lengths long before we try to allocate them.
 */
export const DEFAULT_MAX_FRAME_BYTES = 128 * 1024 * 1024;

/** A uint64 varint is at most 10 bytes long. */
const MAX_VARINT_BYTES = 10;

/** A malformed frame on the ABCI socket (varint too long, length out of range). */
export class FrameError extends BaseError {}

/** Encodes a non-negative safe integer as an unsigned LEB128 varint. */
export function encodeUvarint(value: number): Uint8Array {
  checkUvarint(value);
  const out = new Uint8Array(uvarintLength(value));
  writeUvarint(out, 0, value);
  return out;
}

/** Number of bytes `encodeUvarint(value)` produces. */
export function uvarintLength(value: number): number {
  let n = 1;
  let rest = value;
  while (rest >= 0x80) {
    rest = Math.floor(rest / 0x80);
    n++;
  }
  return n;
}

/** `uvarint(len(body)) ‖ body` as one buffer (so a response is a single socket write). */
export function encodeFrame(body: Uint8Array): Buffer {
  const length = body.byteLength;
  checkUvarint(length);
  const prefix = uvarintLength(length);
  const out = Buffer.allocUnsafe(prefix + length);
  writeUvarint(out, 0, length);
  out.set(body, prefix);
  return out;
}

function checkUvarint(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new FrameError(`uvarint value must be a non-negative safe integer, got ${value}`);
  }
}

/** Writes `value` (checked by the caller) at `pos`, in exactly uvarintLength(value) bytes. */
function writeUvarint(out: Uint8Array, pos: number, value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    out[pos++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[pos] = rest;
}

/**
 * Accumulates frames for one socket write without a buffer per message: each body is encoded
 * straight into one protobuf writer as a length-delimited field (`uvarint(len) ‖ body`, the same
 * bytes as encodeFrame for every length below 2^32, which DEFAULT_MAX_FRAME_BYTES keeps us under),
 * and `take()` lays all of them out in a single allocation.
 */
export class FrameWriter {
  private writer = new BinaryWriter();
  private count = 0;

  /** Bytes of the frames appended since the last take(). */
  get byteLength(): number {
    return this.writer.len;
  }

  get frames(): number {
    return this.count;
  }

  /** Appends one frame whose body `encode` writes; if `encode` throws, nothing is appended. */
  append(encode: (writer: BinaryWriter) => void): void {
    const writer = this.writer.fork();
    try {
      encode(writer);
    } catch (err) {
      writer.reset();
      throw err;
    }
    writer.ldelim();
    this.count++;
  }

  /** Every frame appended so far, concatenated; the writer starts empty again. */
  take(): Uint8Array {
    const bytes = this.writer.finish();
    this.writer = new BinaryWriter();
    this.count = 0;
    return bytes;
  }
}

/**
 * Streaming decoder: feed it socket chunks in arrival order, get back every complete frame body.
 * Chunks may split a frame anywhere, including inside the varint, and may hold many frames.
 * A frame wholly inside one chunk is returned as a zero-copy view of that chunk; a frame spanning
 * chunks is assembled into a buffer allocated once its length is known (no quadratic re-concat).
 * After an error the decoder is unusable (the stream position is lost): drop the connection.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  // Varint being read (possibly across chunks).
  private varintValue = 0;
  private varintBytes = 0;
  // Body being assembled across chunks, when `body` is set.
  private body: Uint8Array | undefined;
  private bodyFilled = 0;
  private failed: FrameError | undefined;

  constructor(options: { maxFrameBytes?: number } = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** True when no partial frame is buffered (a clean point to end the stream). */
  get idle(): boolean {
    return this.body === undefined && this.varintBytes === 0;
  }

  /** Consumes `chunk` and returns the bodies of all frames it completes, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failed) throw this.failed;
    const frames: Uint8Array[] = [];
    let pos = 0;
    const end = chunk.byteLength;
    while (pos < end) {
      if (this.body !== undefined) {
        const take = Math.min(this.body.byteLength - this.bodyFilled, end - pos);
        this.body.set(chunk.subarray(pos, pos + take), this.bodyFilled);
        this.bodyFilled += take;
        pos += take;
        if (this.bodyFilled === this.body.byteLength) {
          frames.push(this.body);
          this.body = undefined;
          this.bodyFilled = 0;
        }
        continue;
      }
      // Reading the length prefix one byte at a time; it is at most 10 bytes, so this is cheap.
      const byte = chunk[pos++]!;
      if (this.varintBytes === MAX_VARINT_BYTES - 1 && byte > 1) {
        this.fail('length prefix overflows uint64');
      }
      this.varintValue += (byte & 0x7f) * 2 ** (7 * this.varintBytes);
      this.varintBytes++;
      if (this.varintValue > this.maxFrameBytes) {
        this.fail(`frame length ${this.varintValue}+ exceeds the maximum of ${this.maxFrameBytes} bytes`);
      }
      if (byte & 0x80) {
        if (this.varintBytes >= MAX_VARINT_BYTES) this.fail('length prefix longer than 10 bytes');
        continue;
      }
      const length = this.varintValue;
      this.varintValue = 0;
      this.varintBytes = 0;
      if (end - pos >= length) {
        frames.push(chunk.subarray(pos, pos + length));
        pos += length;
      } else {
        this.body = new Uint8Array(length);
        this.bodyFilled = 0;
      }
    }
    return frames;
  }

  private fail(message: string): never {
    this.failed = new FrameError(message);
    throw this.failed;
  }
}
