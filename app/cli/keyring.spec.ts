import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMultisigThresholdPubkey, pubkeyToAddress } from '@cosmjs/amino';
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

  it('stores a multisig of its keys with the address cosmjs gives it (members sorted by address), signing only through its members', async () => {
    const keyring = new Keyring(home, 'para');
    const members = [await keyring.add('m1'), await keyring.add('m2'), await keyring.add('m3')];
    const key = await keyring.addMultisig('multi', ['m1', 'm2', 'm3'], 2);
    const cosmjs = createMultisigThresholdPubkey(
      members.map((m) => ({ type: 'tendermint/PubKeySecp256k1', value: m.pubkey })),
      2,
    );
    expect(key.address).toBe(pubkeyToAddress(cosmjs, 'para'));
    expect(key).toMatchObject({ algo: 'multisig', mnemonic: '', multisig: { threshold: 2 } });
    expect([...key.multisig!.members].sort()).toEqual(['m1', 'm2', 'm3']);
    expect(keyring.get('multi')).toEqual(key);
    // Unsorted keeps the order given, which is another key.
    const unsorted = await keyring.addMultisig('multi-unsorted', ['m3', 'm1', 'm2'], 2, false);
    expect(unsorted.multisig!.members).toEqual(['m3', 'm1', 'm2']);
    expect(unsorted.address).toBe(
      pubkeyToAddress(
        createMultisigThresholdPubkey(
          [2, 0, 1].map((i) => ({ type: 'tendermint/PubKeySecp256k1', value: members[i]!.pubkey })),
          2,
          true,
        ),
        'para',
      ),
    );
    await expect(keyring.wallet('multi')).rejects.toThrow(/key "multi" is a multisig \(public keys only\); its members \(.+\) sign/);
    await expect(keyring.addMultisig('bad', ['m1', 'm2'], 3)).rejects.toThrow(
      /--multisig-threshold must be between 1 and the 2 keys of --multisig, got 3/,
    );
    await expect(keyring.addMultisig('bad', ['m1', 'm2'], 0)).rejects.toThrow(/between 1 and the 2 keys/);
    await expect(keyring.addMultisig('bad', ['m1', 'm1'], 1)).rejects.toThrow(/duplicate multisig member: key "m1"/);
    await expect(keyring.addMultisig('bad', ['m1', 'nobody'], 1)).rejects.toThrow(/no key named "nobody"/);
  });

  it('a multisig may hold ML-DSA keys (hybrid) and multisigs', async () => {
    const keyring = new Keyring(home, 'para');
    await keyring.add('classic');
    await keyring.add('quantum', undefined, 'ml-dsa-65');
    const hybrid = await keyring.addMultisig('hybrid', ['classic', 'quantum'], 2);
    expect(hybrid.address).toMatch(/^para1/);
    const nested = await keyring.addMultisig('nested', ['hybrid', 'classic'], 1);
    expect(nested.address).not.toBe(hybrid.address);
  });
});
