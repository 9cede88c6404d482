import { serializeSignDoc, type AminoSignResponse, type Algo, type OfflineAminoSigner, type StdFee, type StdSignDoc } from '@cosmjs/amino';
import { toBech32 } from '@cosmjs/encoding';
import {
  Registry,
  makeAuthInfoBytes,
  makeSignDoc,
  type AccountData,
  type DirectSignResponse,
  type EncodeObject,
  type OfflineDirectSigner,
} from '@cosmjs/proto-signing';
import { accountFromAny, defaultRegistryTypes, type Account } from '@cosmjs/stargate';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { Bip39, EnglishMnemonic } from '@cosmjs/crypto';
import { createHmac, randomBytes } from 'node:crypto';
import { algoName, memberAlgos, pubKeyAddressBytes, pubKeyFromAny, pubKeyToAny } from './account-keys.js';
import { AMINO_PUBKEY_NAMES, aminoPubKeyJson } from './amino-pubkey.js';
import { ML_DSA_SEED_LENGTH, mlDsaKeyPair, signMlDsa, type MlDsaLevel } from './mldsa.js';
import { makeSignDocBytes } from './sign-doc.js';

/**
 * An ML-DSA account as a cosmjs `OfflineDirectSigner`, for dApps and the CLI, and as an
 * `OfflineAminoSigner` (SIGN_MODE_LEGACY_AMINO_JSON), the mode a multisig's members sign in with
 * cosmjs's `makeMultisignedTx`.
 *
 * `getAccounts()` reports `algo: "ml-dsa-44" | "ml-dsa-65"` (outside cosmjs's `Algo` union) and the
 * raw public key. `signDirect` signs any SignDoc, so the signer plugs into
 * `SigningStargateClient.connectWithSigner`; but that client's own `sign`/`signAndBroadcast`/
 * `simulate` build the SignerInfo pubkey with `encodeSecp256k1Pubkey`, which refuses a non-secp256k1
 * key. `signMlDsaTx` and `simulateMlDsaTx` below do those two steps with our pubkey `Any`; the
 * result goes out through the stock client's `broadcastTx`. Reading such an account back needs
 * `mlDsaAccountParser` as the client's `accountParser` option: cosmjs's own parser refuses a pubkey
 * type it does not know.
 */
export class MlDsaDirectSigner implements OfflineDirectSigner, OfflineAminoSigner {
  readonly address: string;
  readonly publicKey: Uint8Array;
  private readonly secretKey: Uint8Array;

  private constructor(
    readonly level: MlDsaLevel,
    seed: Uint8Array,
    prefix: string,
  ) {
    const { publicKey, secretKey } = mlDsaKeyPair(level, seed);
    this.publicKey = publicKey;
    this.secretKey = secretKey;
    this.address = toBech32(prefix, pubKeyAddressBytes({ algo: level, key: publicKey }));
  }

  /** The signer a 32-byte seed determines (what a keyring stores). */
  static fromSeed(level: MlDsaLevel, seed: Uint8Array, prefix = 'para'): MlDsaDirectSigner {
    if (seed.length !== ML_DSA_SEED_LENGTH)
      throw new Error(`an ${algoName(level)} seed is ${ML_DSA_SEED_LENGTH} bytes, got ${seed.length}`);
    return new MlDsaDirectSigner(level, Uint8Array.from(seed), prefix);
  }

  /**
   * The signer a BIP-39 mnemonic determines, so a post-quantum key is written down, exported and
   * imported like any other: seed ξ = HMAC-SHA256(key "parazone/ML-DSA-65" (or -44), BIP-39 seed of
   * the mnemonic with an empty passphrase). No HD path: ML-DSA has no key derivation tree.
   */
  static async fromMnemonic(level: MlDsaLevel, mnemonic: string, prefix = 'para'): Promise<MlDsaDirectSigner> {
    const bip39Seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic.trim()));
    const seed = createHmac('sha256', `parazone/${algoName(level)}`)
      .update(bip39Seed)
      .digest();
    return new MlDsaDirectSigner(level, new Uint8Array(seed), prefix);
  }

  /** A fresh 24-word mnemonic (256 bits of entropy). */
  static generateMnemonic(): string {
    return Bip39.encode(new Uint8Array(randomBytes(32))).toString();
  }

  static generate(level: MlDsaLevel, prefix = 'para'): { signer: MlDsaDirectSigner; seed: Uint8Array } {
    const seed = new Uint8Array(randomBytes(ML_DSA_SEED_LENGTH));
    return { signer: new MlDsaDirectSigner(level, seed, prefix), seed };
  }

  /** The SignerInfo / account pubkey: Any{/parazone.crypto.mldsa.v1.PubKey}. */
  get pubkeyAny(): Any {
    return pubKeyToAny({ algo: this.level, key: this.publicKey });
  }

  async getAccounts(): Promise<readonly AccountData[]> {
    return [{ address: this.address, algo: this.level as unknown as Algo, pubkey: this.publicKey }];
  }

  async signDirect(signerAddress: string, signDoc: SignDoc): Promise<DirectSignResponse> {
    return {
      signed: signDoc,
      signature: this.sign(
        signerAddress,
        makeSignDocBytes(signDoc.bodyBytes, signDoc.authInfoBytes, signDoc.chainId, signDoc.accountNumber),
      ),
    };
  }

  /** Signs the StdSignDoc's sorted JSON (the bytes the chain rebuilds, app/crypto/amino-sign-doc.ts) with pure ML-DSA, as signDirect signs a SignDoc. */
  async signAmino(signerAddress: string, signDoc: StdSignDoc): Promise<AminoSignResponse> {
    return { signed: signDoc, signature: this.sign(signerAddress, serializeSignDoc(signDoc)) };
  }

  private sign(signerAddress: string, bytes: Uint8Array) {
    if (signerAddress !== this.address) throw new Error(`this signer holds ${this.address}, not ${signerAddress}`);
    return {
      pub_key: { type: AMINO_PUBKEY_NAMES[this.level], value: Buffer.from(this.publicKey).toString('base64') },
      signature: Buffer.from(signMlDsa(this.level, this.secretKey, bytes)).toString('base64'),
    };
  }
}

/** The chain facts a tx needs; a stock `StargateClient` (or `SigningStargateClient`) has them all. */
export interface ChainReader {
  getChainId(): Promise<string>;
  getAccount(address: string): Promise<{ accountNumber: number; sequence: number } | null>;
}

export interface MlDsaTxOptions {
  readonly memo?: string;
  readonly registry?: Registry;
  /** Skip the account lookup (offline signing). */
  readonly signerData?: { accountNumber: number; sequence: number; chainId: string };
}

function encodeBody(messages: readonly EncodeObject[], memo: string, registry: Registry): Uint8Array {
  return registry.encode({ typeUrl: '/cosmos.tx.v1beta1.TxBody', value: { messages, memo } });
}

async function signerData(client: ChainReader, address: string, options: MlDsaTxOptions) {
  if (options.signerData) return options.signerData;
  const account = await client.getAccount(address);
  if (!account) throw new Error(`account ${address} does not exist on chain; send it tokens first`);
  return { accountNumber: account.accountNumber, sequence: account.sequence, chainId: await client.getChainId() };
}

/** Signs `messages` as SigningStargateClient.signDirect would, but with the ML-DSA pubkey Any; returns the TxRaw bytes for `broadcastTx`. */
export async function signMlDsaTx(
  client: ChainReader,
  signer: MlDsaDirectSigner,
  messages: readonly EncodeObject[],
  fee: StdFee,
  options: MlDsaTxOptions = {},
): Promise<Uint8Array> {
  const registry = options.registry ?? new Registry(defaultRegistryTypes);
  const { accountNumber, sequence, chainId } = await signerData(client, signer.address, options);
  const bodyBytes = encodeBody(messages, options.memo ?? '', registry);
  const authInfoBytes = makeAuthInfoBytes([{ pubkey: signer.pubkeyAny, sequence }], fee.amount, Number(fee.gas), fee.granter, fee.payer);
  const { signature } = await signer.signDirect(signer.address, makeSignDoc(bodyBytes, authInfoBytes, chainId, accountNumber));
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [Buffer.from(signature.signature, 'base64')] }).finish();
}

/** A stock cosmjs `QueryClient` (`new QueryClient(cometClient)`): what `/cosmos.tx.v1beta1.Service/Simulate` needs. */
export interface AbciQuerier {
  queryAbci(path: string, request: Uint8Array): Promise<{ value: Uint8Array }>;
}

/** Gas used by `messages` in simulate (an unsigned tx with the ML-DSA pubkey), as SigningStargateClient.simulate reports it. */
export async function simulateMlDsaTx(
  querier: AbciQuerier,
  client: ChainReader,
  signer: MlDsaDirectSigner,
  messages: readonly EncodeObject[],
  options: MlDsaTxOptions = {},
): Promise<number> {
  const registry = options.registry ?? new Registry(defaultRegistryTypes);
  const { sequence } = await signerData(client, signer.address, options);
  const bodyBytes = encodeBody(messages, options.memo ?? '', registry);
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey: signer.pubkeyAny, sequence }],
    [],
    0,
    undefined,
    undefined,
    SignMode.SIGN_MODE_UNSPECIFIED,
  );
  const txBytes = TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array()] }).finish();
  const { value } = await querier.queryAbci('/cosmos.tx.v1beta1.Service/Simulate', SimulateRequest.encode({ txBytes }).finish());
  return Number(SimulateResponse.decode(value).gasInfo?.gasUsed ?? 0n);
}

/**
 * cosmjs's `accountFromAny`, plus BaseAccounts holding an ML-DSA pubkey (reported as amino
 * `{type: "parazone/ML-DSA-65", value: base64}`) or a multisig with ML-DSA members (amino
 * `tendermint/PubKeyMultisigThreshold`), which cosmjs's own parser refuses.
 */
export function mlDsaAccountParser(any: Any): Account {
  if (any.typeUrl === '/cosmos.auth.v1beta1.BaseAccount') {
    const base = BaseAccount.decode(any.value);
    const pubkey = pubKeyFromAny(base.pubKey);
    if (pubkey && memberAlgos(pubkey).some((algo) => algo !== 'secp256k1')) {
      return {
        address: base.address,
        pubkey: aminoPubKeyJson(pubkey) as Account['pubkey'],
        accountNumber: Number(base.accountNumber),
        sequence: Number(base.sequence),
      };
    }
  }
  return accountFromAny(any);
}
