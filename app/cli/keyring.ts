import type { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A file keyring like the SDK's `--keyring-backend test`: one JSON file per key under
 * `<home>/keyring-test`, mnemonics in clear text. Meant for localnets and tests, not for value.
 */
export interface StoredKey {
  readonly name: string;
  readonly address: string;
  readonly pubkey: string; // base64, compressed secp256k1
  readonly mnemonic: string;
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

  async add(name: string, mnemonic?: string): Promise<StoredKey> {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error(`key name "${name}" may use letters, digits, _ . - only`);
    if (fs.existsSync(this.file(name))) throw new Error(`key "${name}" already exists in ${this.dir}; pick another name or delete it first`);
    const { DirectSecp256k1HdWallet, options } = await this.walletKit();
    const wallet = mnemonic ? await DirectSecp256k1HdWallet.fromMnemonic(mnemonic.trim(), options) : await DirectSecp256k1HdWallet.generate(24, options);
    const [account] = await wallet.getAccounts();
    const key: StoredKey = {
      name,
      address: account!.address,
      pubkey: Buffer.from(account!.pubkey).toString('base64'),
      mnemonic: wallet.mnemonic,
    };
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(this.file(name), JSON.stringify(key, null, 2), { mode: 0o600 });
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
    const { DirectSecp256k1HdWallet, options } = await this.walletKit();
    return DirectSecp256k1HdWallet.fromMnemonic(this.get(name).mnemonic, options);
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
