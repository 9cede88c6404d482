import fs from 'node:fs';
import type { Command } from 'commander';
import { Keyring } from '../keyring.js';
import type { CliContext } from '../context.js';

export function registerKeys(program: Command, cli: CliContext): void {
  const keys = program.command('keys').description('manage local keys (test keyring: mnemonics stored in clear under <home>/keyring-test)');

  keys
    .command('add <name>')
    .description('create a key (24-word BIP-39 mnemonic, coin type 118), or recover one with --recover')
    .option('--recover', 'read a mnemonic from stdin instead of generating one')
    .action(async (name: string, opts: { recover?: boolean }) => {
      const keyring = new Keyring(cli.home(), cli.config.bech32Prefix);
      const mnemonic = opts.recover ? await readStdin() : undefined;
      const key = await keyring.add(name, mnemonic);
      cli.print({ name: key.name, address: key.address, pubkey: key.pubkey, ...(opts.recover ? {} : { mnemonic: key.mnemonic }) });
    });

  keys
    .command('list')
    .description('list keys')
    .action(() => {
      const keyring = new Keyring(cli.home(), cli.config.bech32Prefix);
      cli.print(keyring.list().map(({ name, address, pubkey }) => ({ name, address, pubkey })));
    });

  keys
    .command('show <name>')
    .description('show a key')
    .option('-a, --address', 'print the address only')
    .action((name: string, opts: { address?: boolean }) => {
      const key = new Keyring(cli.home(), cli.config.bech32Prefix).get(name);
      if (opts.address) console.log(key.address);
      else cli.print({ name: key.name, address: key.address, pubkey: key.pubkey });
    });

  keys
    .command('export <name>')
    .description("print a key's mnemonic (the test keyring's only secret; anyone holding it controls the key)")
    .action((name: string) => {
      const key = new Keyring(cli.home(), cli.config.bech32Prefix).get(name);
      console.error(`keys: the mnemonic of "${name}" follows; keep it secret`);
      console.log(key.mnemonic);
    });

  keys
    .command('import <name> [file]')
    .description('store a key from a mnemonic in a file, or on stdin without a file (what export prints)')
    .action(async (name: string, file: string | undefined) => {
      const mnemonic = file ? fs.readFileSync(file, 'utf8').trim() : await readStdin();
      const key = await new Keyring(cli.home(), cli.config.bech32Prefix).add(name, mnemonic);
      cli.print({ name: key.name, address: key.address, pubkey: key.pubkey });
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

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}
