import type { Secp256k1HdWallet } from '@cosmjs/amino';
import type { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import fs from 'node:fs';
import path from 'node:path';
import type { AccountPubKey, KeyAlgo } from '../crypto/account-keys.js';
import type { MlDsaDirectSigner } from '../crypto/mldsa-signer.js';

/**
 * A file keyring like the SDK's `--keyring-backend test`: one JSON file per key under
 * `<home>/keyring-test`, mnemonics in clear text. Meant for localnets and tests, not for value.
 */
export interface StoredKey {
  readonly name: string;
  readonly address: string;
  /** base64: compressed secp256k1, the ML-DSA public key, or a multisig's LegacyAminoPubKey protobuf. */
  readonly pubkey: string;
  /** Empty for a multisig: its members hold the secrets. */
  readonly mnemonic: string;
  /** Absent in files of secp256k1 keys (the only kind there once was). */
  readonly algo?: KeyAlgo | 'multisig';
  /** A multisig's threshold and its members' key names, in the key's order. */
  readonly multisig?: { readonly threshold: number; readonly members: readonly string[] };
}

/** BIP-44 path with the Cosmos coin type 118: m/44'/118'/0'/0/0. */
export const HD_PATH = "m/44'/118'/0'/0/0";

export class Keyring {
  readonly dir: string;
  constructor(
    home: string,
    private readonly prefix: string,
  ) {
    this.dir = path.join(home, 'keyring-test');
  }

  /** Stores a key; an ML-DSA key too comes from a 24-word mnemonic (see MlDsaDirectSigner.fromMnemonic). */
  async add(name: string, mnemonic?: string, algo: KeyAlgo = 'secp256k1'): Promise<StoredKey> {
    this.checkNewName(name);
    if (algo !== 'secp256k1') {
      const { MlDsaDirectSigner } = await import('../crypto/mldsa-signer.js');
      const words = mnemonic?.trim() ?? MlDsaDirectSigner.generateMnemonic();
      const signer = await MlDsaDirectSigner.fromMnemonic(algo, words, this.prefix);
      return this.write({ name, address: signer.address, pubkey: Buffer.from(signer.publicKey).toString('base64'), mnemonic: words, algo });
    }
    const { DirectSecp256k1HdWallet, options } = await this.walletKit();
    const wallet = mnemonic
      ? await DirectSecp256k1HdWallet.fromMnemonic(mnemonic.trim(), options)
      : await DirectSecp256k1HdWallet.generate(24, options);
    const [account] = await wallet.getAccounts();
    const key: StoredKey = {
      name,
      address: account!.address,
      pubkey: Buffer.from(account!.pubkey).toString('base64'),
      mnemonic: wallet.mnemonic,
    };
    return this.write(key);
  }

  /**
   * Stores a k-of-n multisig of keys already in the keyring, as `simd keys add --multisig`: an
   * offline record (public keys only), members sorted by address unless `sort` is false (the order
   * is part of the key, hence of its address), no member twice, threshold 1..n.
   */
  async addMultisig(name: string, memberNames: readonly string[], threshold: number, sort = true): Promise<StoredKey> {
    this.checkNewName(name);
    const [{ MULTISIG_PUBKEY_TYPE_URL, pubKeyAddressBytes, pubKeyFromAny, pubKeyToAny, checkPubKeyShape }, { toBech32 }] =
      await Promise.all([import('../crypto/account-keys.js'), import('@cosmjs/encoding')]);
    const members = memberNames.map((member) => {
      const key = this.get(member);
      const bytes = new Uint8Array(Buffer.from(key.pubkey, 'base64'));
      const pubkey: AccountPubKey =
        key.algo === 'multisig'
          ? pubKeyFromAny({ typeUrl: MULTISIG_PUBKEY_TYPE_URL, value: bytes })!
          : { algo: key.algo ?? 'secp256k1', key: bytes };
      return { name: member, pubkey, address: Buffer.from(pubKeyAddressBytes(pubkey)) };
    });
    const seen = new Set<string>();
    for (const member of members) {
      const id = member.address.toString('hex');
      if (seen.has(id)) throw new Error(`duplicate multisig member: key "${member.name}" is already in the list`);
      seen.add(id);
    }
    if (sort) members.sort((a, b) => Buffer.compare(a.address, b.address));
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > members.length) {
      throw new Error(`--multisig-threshold must be between 1 and the ${members.length} keys of --multisig, got ${threshold}`);
    }
    const multisig: AccountPubKey = { algo: 'multisig', threshold, keys: members.map((m) => m.pubkey) };
    checkPubKeyShape(multisig);
    return this.write({
      name,
      address: toBech32(this.prefix, pubKeyAddressBytes(multisig)),
      pubkey: Buffer.from(pubKeyToAny(multisig).value).toString('base64'),
      mnemonic: '',
      algo: 'multisig',
      multisig: { threshold, members: members.map((m) => m.name) },
    });
  }

  private multisigMembers(key: StoredKey): readonly string[] {
    return key.multisig?.members ?? [];
  }

  private checkNewName(name: string): void {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error(`key name "${name}" may use letters, digits, _ . - only`);
    if (fs.existsSync(this.file(name)))
      throw new Error(`key "${name}" already exists in ${this.dir}; pick another name or delete it first`);
  }

  private write(key: StoredKey): StoredKey {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(this.file(key.name), JSON.stringify(key, null, 2), { mode: 0o600 });
    return key;
  }

  get(name: string): StoredKey {
    const file = this.file(name);
    if (!fs.existsSync(file)) throw new Error(`no key named "${name}" in ${this.dir}; create it with 'parazone keys add ${name}'`);
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StoredKey;
  }

  list(): StoredKey[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(fs.readFileSync(path.join(this.dir, f), 'utf8')) as StoredKey);
  }

  /** Removes a key's file; its mnemonic, if not written down elsewhere, is gone. */
  delete(name: string): StoredKey {
    const key = this.get(name);
    fs.rmSync(this.file(name));
    return key;
  }

  async wallet(name: string): Promise<DirectSecp256k1HdWallet> {
    const key = this.signingKey(name);
    if ((key.algo ?? 'secp256k1') !== 'secp256k1') throw new Error(`key "${name}" is an ${key.algo} key; use mlDsaSigner`);
    const { DirectSecp256k1HdWallet, options } = await this.walletKit();
    return DirectSecp256k1HdWallet.fromMnemonic(key.mnemonic, options);
  }

  /** The same secp256k1 key as cosmjs's amino signer (SIGN_MODE_LEGACY_AMINO_JSON). */
  async aminoWallet(name: string): Promise<Secp256k1HdWallet> {
    const key = this.signingKey(name);
    if ((key.algo ?? 'secp256k1') !== 'secp256k1')
      throw new Error(`key "${name}" is an ${key.algo} key; amino JSON signing needs a secp256k1 key`);
    const [{ Secp256k1HdWallet }, { options }] = await Promise.all([import('@cosmjs/amino'), this.walletKit()]);
    return Secp256k1HdWallet.fromMnemonic(key.mnemonic, options);
  }

  /** The ML-DSA signer of an ML-DSA key; undefined for a secp256k1 key. Imported on first use, like the wallet. */
  async mlDsaSigner(name: string): Promise<MlDsaDirectSigner | undefined> {
    const key = this.signingKey(name);
    if (key.algo === undefined || key.algo === 'secp256k1') return undefined;
    const { MlDsaDirectSigner } = await import('../crypto/mldsa-signer.js');
    return MlDsaDirectSigner.fromMnemonic(key.algo, key.mnemonic, this.prefix);
  }

  /** A key that can sign by itself: not a multisig, whose record holds no secret. */
  private signingKey(name: string): StoredKey & { readonly algo?: KeyAlgo } {
    const key = this.get(name);
    if (key.algo === 'multisig') {
      throw new Error(
        `key "${name}" is a multisig (public keys only); its members (${this.multisigMembers(key).join(', ')}) sign, not the multisig itself`,
      );
    }
    return key as StoredKey & { readonly algo?: KeyAlgo };
  }

  /** cosmjs's HD wallet, imported on first use: listing or reading keys does not need it. */
  private async walletKit() {
    const [{ DirectSecp256k1HdWallet }, { stringToPath }] = await Promise.all([import('@cosmjs/proto-signing'), import('@cosmjs/crypto')]);
    return { DirectSecp256k1HdWallet, options: { prefix: this.prefix, hdPaths: [stringToPath(HD_PATH)] } };
  }

  private file(name: string): string {
    return path.join(this.dir, `${name}.json`);
  }
}
