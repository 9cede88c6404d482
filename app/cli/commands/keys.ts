import fs from 'node:fs';
import type { Command } from 'commander';
import { KEY_ALGOS, type KeyAlgo } from '../../crypto/account-keys.js';
import { Keyring, type StoredKey } from '../keyring.js';
import type { CliContext } from '../context.js';

export function registerKeys(program: Command, cli: CliContext): void {
  const keys = program
    .command('keys')
    .description('manage local keys (test keyring: mnemonics stored in clear under <home>/keyring-test; multisigs as public keys only)');

  keys
    .command('add <name>')
    .description('create a key (24-word BIP-39 mnemonic, coin type 118), or recover one with --recover')
    .option('--recover', 'read a mnemonic from stdin instead of generating one')
    .option('--algo <algo>', `key type: ${KEY_ALGOS.join(', ')} (post-quantum ML-DSA keys come from a mnemonic too)`, 'secp256k1')
    .option(
      '--multisig <keys>',
      'store a multisig of these keys (comma-separated names in this keyring; any key type, ML-DSA included) instead of a new key',
    )
    .option('--multisig-threshold <k>', 'with --multisig: how many members must sign', '1')
    .option('--nosort', 'with --multisig: keep the members in the given order (the default sorts them by address, as simd does)')
    .action(
      async (name: string, opts: { recover?: boolean; algo: string; multisig?: string; multisigThreshold: string; nosort?: boolean }) => {
        const keyring = new Keyring(cli.home(), cli.config.bech32Prefix);
        if (opts.multisig !== undefined) {
          if (opts.recover) throw new Error('--recover and --multisig do not go together: a multisig has no mnemonic');
          const members = opts.multisig
            .split(',')
            .map((m) => m.trim())
            .filter((m) => m !== '');
          if (!/^[0-9]+$/.test(opts.multisigThreshold))
            throw new Error(`--multisig-threshold must be a whole number, got "${opts.multisigThreshold}"`);
          const key = await keyring.addMultisig(name, members, Number(opts.multisigThreshold), !opts.nosort);
          cli.print(showKey(key));
          return;
        }
        const algo = keyAlgo(opts.algo);
        const mnemonic = opts.recover ? await readStdin() : undefined;
        const key = await keyring.add(name, mnemonic, algo);
        cli.print({
          name: key.name,
          ...algoField(algo),
          address: key.address,
          pubkey: key.pubkey,
          ...(opts.recover ? {} : { mnemonic: key.mnemonic }),
        });
      },
    );

  keys
    .command('list')
    .description('list keys')
    .action(() => {
      const keyring = new Keyring(cli.home(), cli.config.bech32Prefix);
      cli.print(keyring.list().map(showKey));
    });

  keys
    .command('show <name>')
    .description('show a key')
    .option('-a, --address', 'print the address only')
    .action((name: string, opts: { address?: boolean }) => {
      const key = new Keyring(cli.home(), cli.config.bech32Prefix).get(name);
      if (opts.address) console.log(key.address);
      else cli.print(showKey(key));
    });

  keys
    .command('export <name>')
    .description("print a key's mnemonic (the test keyring's only secret; anyone holding it controls the key)")
    .action((name: string) => {
      const key = new Keyring(cli.home(), cli.config.bech32Prefix).get(name);
      if (key.algo === 'multisig') throw new Error(`key "${name}" is a multisig: it has no mnemonic; export its members`);
      console.error(`keys: the mnemonic of "${name}" follows; keep it secret`);
      console.log(key.mnemonic);
    });

  keys
    .command('import <name> [file]')
    .description('store a key from a mnemonic in a file, or on stdin without a file (what export prints)')
    .option('--algo <algo>', `key type the mnemonic was made for: ${KEY_ALGOS.join(', ')}`, 'secp256k1')
    .action(async (name: string, file: string | undefined, opts: { algo: string }) => {
      const algo = keyAlgo(opts.algo);
      const mnemonic = file ? fs.readFileSync(file, 'utf8').trim() : await readStdin();
      const key = await new Keyring(cli.home(), cli.config.bech32Prefix).add(name, mnemonic, algo);
      cli.print({ name: key.name, ...algoField(algo), address: key.address, pubkey: key.pubkey });
    });

  keys
    .command('delete <name>')
    .description('delete a key from the keyring (needs --yes: the mnemonic is not kept anywhere else)')
    .option('-y, --yes', 'delete without asking')
    .action((name: string, opts: { yes?: boolean }) => {
      const keyring = new Keyring(cli.home(), cli.config.bech32Prefix);
      keyring.get(name);
      if (!opts.yes) throw new Error(`deleting "${name}" loses its mnemonic unless you exported it; run again with --yes`);
      const key = keyring.delete(name);
      cli.print({ deleted: key.name, address: key.address });
    });
}

/** A stored key as `keys show` prints it: a multisig also with its threshold and members. */
function showKey({ name, algo, address, pubkey, multisig }: StoredKey): Record<string, unknown> {
  return { name, ...algoField(algo), address, pubkey, ...(multisig ? { threshold: multisig.threshold, members: multisig.members } : {}) };
}

/** Keys print as before unless they are post-quantum or multisig, which say so. */
function algoField(algo: KeyAlgo | 'multisig' | undefined): { algo?: KeyAlgo | 'multisig' } {
  return algo === undefined || algo === 'secp256k1' ? {} : { algo };
}

function keyAlgo(value: string): KeyAlgo {
  const algo = KEY_ALGOS.find((a) => a === value.toLowerCase());
  if (!algo) throw new Error(`--algo "${value}" is not one of ${KEY_ALGOS.join(', ')}`);
  return algo;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}
