/** Signing a contiguous slice of a plan: the work one signing thread does. */
import type { AddressCodec } from '../types/address.js';
import { drugSerial, drugTiHash, DRUG_GTIN } from './drug-genesis.js';
import type { WorkloadName } from './plan.js';
import { loadAccount, signShip, signTransfer, type LoadAccount, type TxEnvelope } from './txs.js';

export interface SignSliceInput {
  /** What each tx does: MsgSend for transfer/hot/mixed, MsgShip for drug. */
  readonly workload: WorkloadName;
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
    const round = input.round[i]!;
    const envelope: TxEnvelope = {
      chainId: input.chainId,
      denom: input.denom,
      feeAmount: input.feeAmount,
      gasLimit: BigInt(input.gasLimit),
      accountNumber: input.accountNumbers[sender]!,
      sequence: input.startSequences[sender]! + BigInt(round),
    };
    const to = account(input.to[i]!).address;
    const tx =
      input.workload === 'drug'
        ? // The round-th unit the sender holds since genesis (drug-genesis.ts gives it one per round).
          signShip(account(sender), {
            ...envelope,
            to,
            units: [{ gtin: DRUG_GTIN, serial: drugSerial(sender, round) }],
            tiHash: drugTiHash(`ship/${sender}/${round}`),
          })
        : signTransfer(account(sender), { ...envelope, to });
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
