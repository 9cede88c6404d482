/**
 * Worker thread that signs one slice of a plan (see presign.ts). Keys are derived from the seed
 * here, so nothing secret crosses threads; the signed txs come back as one buffer plus offsets.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AddressCodec } from '../types/address.js';
import { signSlice, type SignSliceInput } from './sign-slice.js';
import '../codec/cosmjs-types-writer.js'; // a worker thread has its own module graph: repaired int64 varints here too

const input = workerData as SignSliceInput;
const out = signSlice(input, new AddressCodec(input.prefix));
parentPort!.postMessage(out, [out.data.buffer as ArrayBuffer, out.offsets.buffer as ArrayBuffer]);
