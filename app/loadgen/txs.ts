/**
 * The transactions loadgen sends: deterministic accounts (keys derived from a seed and an index,
 * no BIP-39, so thousands are made in milliseconds), MsgSend TxRaw signed with native
 * libsecp256k1 exactly as cosmjs would (SIGN_MODE_DIRECT), drug registry MsgShip TxRaw likewise,
 * and kvstore txs of the same size. Account numbers and sequences are explicit, so that worker
 * threads can sign any slice of a plan independently.
 */
import { createHash } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgShip } from '../../generated/parazone/drugregistry/v1/tx.js';
import type { UnitRef } from '../../generated/parazone/drugregistry/v1/types.js';
import { makeSignDocBytes } from '../crypto/sign-doc.js';
import type { AddressCodec } from '../types/address.js';

export interface LoadAccount {
  readonly index: number;
  readonly privateKey: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly address: string;
}

/** Account `index` of the loadgen key family `seed` (the same on every machine and run). */
export function loadAccount(seed: string, index: number, addresses: AddressCodec): LoadAccount {
  const privateKey = createHash('sha256').update(`parazone-loadgen/${seed}/${index}`).digest();
  const pubkey = secp256k1.publicKeyCreate(privateKey, true);
  return { index, privateKey, pubkey, address: addresses.fromSecp256k1PubKey(pubkey) };
}

export function loadAccounts(seed: string, count: number, addresses: AddressCodec): LoadAccount[] {
  return Array.from({ length: count }, (_, i) => loadAccount(seed, i, addresses));
}

/** What every loadgen tx shares: chain, fee, gas and the signer's account number and sequence. */
export interface TxEnvelope {
  readonly chainId: string;
  readonly denom: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly feeAmount?: string;
  readonly gasLimit?: bigint;
  /** Optional memo: lets a test make tx bytes unique or pad a size. */
  readonly memo?: string;
}

export interface TransferParams extends TxEnvelope {
  readonly to: string;
  readonly amount?: string;
}

/** A signed TxRaw of one MsgSend from `from`. */
export function signTransfer(from: LoadAccount, p: TransferParams): Uint8Array {
  const msg = MsgSend.fromPartial({ fromAddress: from.address, toAddress: p.to, amount: [{ denom: p.denom, amount: p.amount ?? '1' }] });
  return signTx(from, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.encode(msg).finish() }], p);
}

export interface ShipParams extends TxEnvelope {
  /** The receiving participant. */
  readonly to: string;
  readonly units: readonly UnitRef[];
  readonly containers?: readonly string[];
  /** sha-256 hex of the Transaction Information document (may be empty). */
  readonly tiHash?: string;
  readonly purpose?: 'SALE' | 'RETURN' | 'RECALL_RETURN' | 'NONSALEABLE_RETURN';
}

/** A signed TxRaw of one drug registry MsgShip by the custodian `from`. */
export function signShip(from: LoadAccount, p: ShipParams): Uint8Array {
  const msg = MsgShip.fromPartial({
    signer: from.address,
    to: p.to,
    purpose: p.purpose ?? 'SALE',
    units: [...p.units],
    containers: [...(p.containers ?? [])],
    tiHash: p.tiHash ?? '',
  });
  return signTx(from, [{ typeUrl: '/parazone.drugregistry.v1.MsgShip', value: MsgShip.encode(msg).finish() }], p);
}

/**
 * Already-encoded Msgs, SIGN_MODE_DIRECT, one secp256k1 signer: the TxRaw bytes cosmjs would
 * produce (also what the benchmarks' scripts/lib/signed-transfers.ts signs with).
 */
export function signTx(
  from: Pick<LoadAccount, 'privateKey' | 'pubkey'>,
  messages: readonly { typeUrl: string; value: Uint8Array }[],
  p: TxEnvelope,
): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: [...messages], memo: p.memo ?? '' })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: from.pubkey }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: p.sequence,
        },
      ],
      fee: { amount: [{ denom: p.denom, amount: p.feeAmount ?? '5000' }], gasLimit: p.gasLimit ?? 200_000n },
    }),
  ).finish();
  const digest = createHash('sha256')
    .update(makeSignDocBytes(bodyBytes, authInfoBytes, p.chainId, p.accountNumber))
    .digest();
  const { signature } = secp256k1.ecdsaSign(digest, from.privateKey);
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}

/**
 * A tx for CometBFT's built-in kvstore app (`key=value`, exactly one "=", both sides non-empty)
 * of exactly `size` bytes, unique per `index` (the mempool cache drops repeated bytes).
 */
export function kvstoreTx(index: number, size: number, tag = 'lg'): Uint8Array {
  const key = `${tag}${index.toString(36)}`;
  const pad = size - key.length - 1;
  if (pad < 1) throw new Error(`a kvstore tx of ${size} bytes cannot hold key ${key}; use a larger size`);
  return Buffer.from(`${key}=${'v'.repeat(pad)}`, 'ascii');
}

/** CometBFT's tx hash: upper-case hex SHA-256 of the tx bytes. */
export function txHash(tx: Uint8Array): string {
  return createHash('sha256').update(tx).digest('hex').toUpperCase();
}
