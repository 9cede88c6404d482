/**
 * Fast, deterministic workloads of signed MsgSend txs for benchmarks: keys derived from an index
 * (no BIP-39), signed with native libsecp256k1, encoded exactly as cosmjs would (SIGN_MODE_DIRECT).
 */
import { createHash } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { signTx } from '../../app/loadgen/txs.js';
import type { AddressCodec } from '../../app/types/address.js';

export interface BenchAccount {
  readonly privateKey: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly address: string;
  /** Position in genesis, hence the account number. */
  readonly accountNumber: bigint;
  sequence: bigint;
}

export function makeAccounts(count: number, addresses: AddressCodec): BenchAccount[] {
  const out: BenchAccount[] = [];
  for (let i = 0; i < count; i++) {
    const privateKey = createHash('sha256').update(`parazone-bench-${i}`).digest();
    const pubkey = secp256k1.publicKeyCreate(privateKey, true);
    out.push({ privateKey, pubkey, address: addresses.fromSecp256k1PubKey(pubkey), accountNumber: BigInt(i), sequence: 0n });
  }
  return out;
}

export interface TransferOptions {
  readonly chainId: string;
  readonly denom: string;
  readonly amount?: string;
  readonly feeAmount?: string;
  readonly gasLimit?: bigint;
}

/** A signed TxRaw moving `amount` from `from` to `to`; bumps `from.sequence`. */
export function signedTransfer(from: BenchAccount, to: string, options: TransferOptions): Uint8Array {
  const msg = MsgSend.fromPartial({
    fromAddress: from.address,
    toAddress: to,
    amount: [{ denom: options.denom, amount: options.amount ?? '1' }],
  });
  return signedTx(from, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.encode(msg).finish() }], options);
}

/** A signed TxRaw carrying any already-encoded Msgs, signed by `from`; bumps `from.sequence`. */
export function signedTx(
  from: BenchAccount,
  messages: { typeUrl: string; value: Uint8Array }[],
  options: Omit<TransferOptions, 'amount'> & { memo?: string },
): Uint8Array {
  const tx = signTx(from, messages, { ...options, accountNumber: from.accountNumber, sequence: from.sequence });
  from.sequence += 1n;
  return tx;
}
