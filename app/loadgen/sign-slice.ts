/** Signing a contiguous slice of a plan: the work one signing thread does. */
import type { AddressCodec } from '../types/address.js';
import { loadAccount, signTransfer, type LoadAccount } from './txs.js';

export interface SignSliceInput {
  readonly seed: string;
  readonly prefix: string;
  readonly chainId: string;
  readonly denom: string;
  readonly feeAmount: string;
  readonly gasLimit: string;
  /** Indexed by account index (senders and the hot account). */
  readonly accountNumbers: BigInt64Array;
  readonly startSequences: BigInt64Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly round: Int32Array;
}

export interface SignedSlice {
  /** All txs back to back; tx i is data[offsets[i], offsets[i+1]). */
  readonly data: Uint8Array;
  readonly offsets: Uint32Array;
}

export function signSlice(input: SignSliceInput, addresses: AddressCodec): SignedSlice {
  const cache = new Map<number, LoadAccount>();
  const account = (i: number) => {
    let a = cache.get(i);
    if (!a) cache.set(i, (a = loadAccount(input.seed, i, addresses)));
    return a;
  };
  const txs: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < input.from.length; i++) {
    const sender = input.from[i]!;
    const tx = signTransfer(account(sender), {
      chainId: input.chainId,
      denom: input.denom,
      feeAmount: input.feeAmount,
      gasLimit: BigInt(input.gasLimit),
      accountNumber: input.accountNumbers[sender]!,
      sequence: input.startSequences[sender]! + BigInt(input.round[i]!),
      to: account(input.to[i]!).address,
    });
    txs.push(tx);
    total += tx.length;
  }
  const data = new Uint8Array(total);
  const offsets = new Uint32Array(txs.length + 1);
  let at = 0;
  txs.forEach((tx, i) => {
    data.set(tx, at);
    offsets[i] = at;
    at += tx.length;
  });
  offsets[txs.length] = at;
  return { data, offsets };
}
