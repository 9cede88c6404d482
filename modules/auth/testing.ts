/**
 * Test helpers: real txs built and signed with @cosmjs/proto-signing exactly as
 * SigningStargateClient does (SIGN_MODE_DIRECT, or SIGN_MODE_LEGACY_AMINO_JSON with its amino
 * signer), and a fee collector fake. Not used by the chain.
 */
import { makeCosmoshubPath, makeSignDoc as makeAminoSignDoc, Secp256k1HdWallet } from '@cosmjs/amino';
import { fromBase64 } from '@cosmjs/encoding';
import { DirectSecp256k1HdWallet, Registry, encodePubkey, makeAuthInfoBytes, makeSignDoc, type EncodeObject } from '@cosmjs/proto-signing';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { AminoTypes, createDefaultAminoConverters, defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { Tx, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { StoreKey } from '../../app/store/types.js';
import { parseAmount, type Coin } from '../../app/types/coins.js';
import type { Context } from '../../app/types/context.js';
import { ErrInsufficientFunds } from '../../app/types/errors.js';
import { defineMsg, type MsgHandler } from '../../app/types/module.js';
import type { FeeCollector } from './expected-keepers.js';

export const TEST_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

export interface TestSigner {
  readonly wallet: DirectSecp256k1HdWallet;
  /** The same key as cosmjs's amino signer. */
  readonly aminoWallet: Secp256k1HdWallet;
  readonly address: string;
  readonly pubkey: Uint8Array;
}

/** `count` signers from one mnemonic (HD paths m/44'/118'/0'/0/i), bech32 prefix "para". */
export async function testSigners(count: number, mnemonic = TEST_MNEMONIC): Promise<TestSigner[]> {
  const out: TestSigner[] = [];
  for (let i = 0; i < count; i++) {
    const options = { prefix: 'para', hdPaths: [makeCosmoshubPath(i)] };
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, options);
    const aminoWallet = await Secp256k1HdWallet.fromMnemonic(mnemonic, options);
    const [account] = await wallet.getAccounts();
    out.push({ wallet, aminoWallet, address: account!.address, pubkey: account!.pubkey });
  }
  return out;
}

export const registry = new Registry(defaultRegistryTypes);

export function msgSend(from: string, to: string, amount = '1'): EncodeObject {
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    value: MsgSend.fromPartial({ fromAddress: from, toAddress: to, amount: [{ denom: 'upara', amount }] }),
  };
}

/** A MsgSend handler that only declares signers: enough for decoding and the ante chain. */
export const msgSendHandler: MsgHandler<MsgSend, object> = defineMsg({
  typeUrl: '/cosmos.bank.v1beta1.MsgSend',
  aminoName: 'cosmos-sdk/MsgSend',
  type: MsgSend,
  responseType: { encode: () => ({ finish: () => new Uint8Array() }), decode: () => ({}), fromPartial: () => ({}) },
  signers: (msg) => [msg.fromAddress],
  handle: () => ({}),
});

export function lookupTestMsg(typeUrl: string): MsgHandler | undefined {
  return typeUrl === msgSendHandler.typeUrl ? msgSendHandler : undefined;
}

export interface SignOptions {
  msgs: EncodeObject[];
  /** One entry per signer, in the order the msgs name them. */
  signers: { signer: TestSigner; accountNumber: number; sequence: number }[];
  chainId: string;
  fee?: Coin[];
  gasLimit?: number;
  memo?: string;
  timeoutHeight?: bigint;
  /** Leave the pubkey out of the SignerInfo (accounts that signed before). */
  omitPubKey?: boolean;
  signMode?: SignMode;
}

export interface SignedTx {
  bytes: Uint8Array;
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  signatures: Uint8Array[];
}

const aminoTypes = new AminoTypes(createDefaultAminoConverters());

/**
 * Builds and signs a tx as SigningStargateClient.signDirect does, returning the TxRaw bytes; with
 * `signMode: SIGN_MODE_LEGACY_AMINO_JSON`, as its signAmino does (cosmjs's own converters).
 */
export async function signTx(options: SignOptions): Promise<SignedTx> {
  const bodyBytes = registry.encode({
    typeUrl: '/cosmos.tx.v1beta1.TxBody',
    value: { messages: options.msgs, memo: options.memo ?? '', timeoutHeight: options.timeoutHeight },
  });
  const authInfoBytes = makeAuthInfoBytes(
    options.signers.map((s) => ({
      pubkey: options.omitPubKey ? (undefined as never) : encodePubkey(encodeSecp256k1Pubkey(s.signer.pubkey)),
      sequence: s.sequence,
    })),
    options.fee ?? [{ denom: 'upara', amount: '5000' }],
    options.gasLimit ?? 200_000,
    undefined,
    undefined,
    options.signMode ?? SignMode.SIGN_MODE_DIRECT,
  );
  const signatures: Uint8Array[] = [];
  for (const s of options.signers) {
    if (options.signMode === SignMode.SIGN_MODE_LEGACY_AMINO_JSON) {
      const fee = { amount: options.fee ?? [{ denom: 'upara', amount: '5000' }], gas: String(options.gasLimit ?? 200_000) };
      const msgs = options.msgs.map((m) => aminoTypes.toAmino(m));
      const doc = makeAminoSignDoc(msgs, fee, options.chainId, options.memo ?? '', s.accountNumber, s.sequence, options.timeoutHeight);
      const { signature } = await s.signer.aminoWallet.signAmino(s.signer.address, doc);
      signatures.push(fromBase64(signature.signature));
      continue;
    }
    const signDoc = makeSignDoc(bodyBytes, authInfoBytes, options.chainId, s.accountNumber);
    const { signature } = await s.signer.wallet.signDirect(s.signer.address, signDoc);
    signatures.push(fromBase64(signature.signature));
  }
  return { bytes: TxRaw.encode({ bodyBytes, authInfoBytes, signatures }).finish(), bodyBytes, authInfoBytes, signatures };
}

/** The tx cosmjs sends to Simulate: encoded `Tx`, SIGN_MODE_UNSPECIFIED, empty fee, empty signature. */
export function simulateTx(msgs: EncodeObject[], signer: TestSigner, sequence: number): Uint8Array {
  const tx = Tx.fromPartial({
    body: { messages: msgs.map((m) => registry.encodeAsAny(m)), memo: '' },
    authInfo: {
      signerInfos: [
        {
          publicKey: encodePubkey(encodeSecp256k1Pubkey(signer.pubkey)),
          modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } },
          sequence: BigInt(sequence),
        },
      ],
      fee: {},
    },
    signatures: [new Uint8Array()],
  });
  return Tx.encode(tx).finish();
}

/** A fee keeper fake: balances in its own store (so "state unchanged" checks see its writes). */
export class FakeFeeKeeper implements FeeCollector {
  static readonly storeKey = new StoreKey('fakefees');
  readonly calls: { payer: string; fee: Coin[] }[] = [];

  fund(ctx: Context, address: string, amount: bigint): void {
    ctx.kv(FakeFeeKeeper.storeKey).set(new TextEncoder().encode(address), new TextEncoder().encode(amount.toString()));
  }

  balance(ctx: Context, address: string): bigint {
    const v = ctx.kv(FakeFeeKeeper.storeKey).get(new TextEncoder().encode(address));
    return v ? BigInt(new TextDecoder().decode(v)) : 0n;
  }

  collectFee(ctx: Context, payer: string, fee: Coin[]): void {
    this.calls.push({ payer, fee });
    const amount = fee.filter((c) => c.denom === 'upara').reduce((sum, c) => sum + parseAmount(c.amount), 0n);
    const balance = this.balance(ctx, payer);
    if (balance < amount) throw ErrInsufficientFunds.wrap(`spendable balance ${balance}upara is smaller than ${amount}upara`);
    this.fund(ctx, payer, balance - amount);
    ctx.events.emit('coin_spent', { spender: payer, amount: `${amount}upara` });
  }
}
