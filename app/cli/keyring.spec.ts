import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { AddressCodec } from '../types/address.js';
import { Keyring } from './keyring.js';

describe('Keyring', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-keys-'));
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('derives what cosmjs derives by default (coin type 118) and what the chain computes from the pubkey', async () => {
    const keyring = new Keyring(home, 'para');
    const mnemonic = 'special sign fit simple patrol salute grocery chicken wheat radar tonight ceiling';
    const key = await keyring.add('alice', mnemonic);
    // cosmjs's default HD path is the Cosmos Hub's m/44'/118'/0'/0/0.
    const reference = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'para' });
    const [account] = await reference.getAccounts();
    expect(key.address).toBe(account!.address);
    expect(new AddressCodec('para').fromSecp256k1PubKey(Buffer.from(key.pubkey, 'base64'))).toBe(key.address);
    expect(keyring.get('alice')).toEqual(key);
    expect(keyring.list().map((k) => k.name)).toEqual(['alice']);
  });

  it('refuses a duplicate name and explains a missing key', async () => {
    const keyring = new Keyring(home, 'para');
    await keyring.add('bob');
    await expect(keyring.add('bob')).rejects.toThrow(/already exists/);
    expect(() => keyring.get('carol')).toThrow(/parazone keys add carol/);
  });

  it('deletes a key, after which its name is free and the same mnemonic restores the same address', async () => {
    const keyring = new Keyring(home, 'para');
    const key = await keyring.add('dave');
    expect(keyring.delete('dave')).toEqual(key);
    expect(() => keyring.get('dave')).toThrow(/no key named "dave"/);
    expect(() => keyring.delete('dave')).toThrow(/no key named "dave"/);
    expect((await keyring.add('dave', key.mnemonic)).address).toBe(key.address);
  });
});
