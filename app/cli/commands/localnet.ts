import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ChainSpec } from '../../app.js';
import { composeChain } from '../../app.js';
import { readAppConfig } from '../../node/app-config.js';
import { freePorts, readNodeConfig, waitForHeight } from '../../node/cometbft.js';
import { addGenesisAccount, readAppState, writeAppState } from '../../node/genesis.js';
import { initNode, isInitialized } from '../../node/home.js';
import type { CliContext } from '../context.js';
import { Keyring } from '../keyring.js';
import { startNode } from './node.js';

export const LOCALNET_CHAIN_ID = 'parazone-local';
const FAUCET_KEY = 'faucet';
const FAUCET_FUNDS = '1000000000000000';

/** What a client needs to reach the localnet; also written to `<home>/endpoints.json`. */
export interface Endpoints {
  chainId: string;
  rpc: string;
  abci: string;
  denom: string;
  bech32Prefix: string;
  gasPrice: string;
  faucet: { address: string; mnemonic: string };
  home: string;
}

/**
 * `parazone localnet`: first run creates a single-validator chain with a funded faucet on free
 * loopback ports; later runs resume it. Prints the endpoints and waits for Ctrl-C.
 */
export function registerLocalnet(program: Command, cli: CliContext, spec: ChainSpec): void {
  program
    .command('localnet')
    .description('run a local single-validator chain with a funded faucet (created on first run, resumed after)')
    .option('--chain-id <id>', 'chain id for a new localnet', LOCALNET_CHAIN_ID)
    .action(async (opts: { chainId: string }) => {
      const home = cli.home();
      const keyring = new Keyring(home, cli.config.bech32Prefix);
      if (!isInitialized(home)) {
        const [rpcPort, p2pPort, abciPort] = await freePorts(3);
        await initNode({
          home,
          chainId: opts.chainId,
          moniker: 'localnet',
          chain: composeChain(spec),
          rpcPort,
          p2pPort,
          abciAddress: `tcp://127.0.0.1:${abciPort}`,
        });
        const faucet = await keyring.add(FAUCET_KEY);
        writeAppState(home, addGenesisAccount(readAppState(home), faucet.address, [{ denom: cli.config.bondDenom, amount: FAUCET_FUNDS }]));
        console.error(`localnet: created a new chain in ${home}`);
      } else {
        console.error(`localnet: resuming the chain in ${home}`);
      }
      const node = await startNode(home, spec);
      const nodeConfig = (await readNodeConfig(home)) as { rpc?: { laddr?: string } };
      const rpc = (nodeConfig.rpc?.laddr ?? 'tcp://127.0.0.1:26657').replace('tcp://', 'http://');
      await waitForHeight(rpc, 1, 60_000, { process: node.comet });
      const genesis = JSON.parse(fs.readFileSync(path.join(home, 'config', 'genesis.json'), 'utf8')) as { chain_id: string };
      const faucet = keyring.get(FAUCET_KEY);
      const endpoints: Endpoints = {
        chainId: genesis.chain_id,
        rpc,
        abci: readAppConfig(home).abciAddress,
        denom: cli.config.bondDenom,
        bech32Prefix: cli.config.bech32Prefix,
        gasPrice: `0.025${cli.config.bondDenom}`,
        faucet: { address: faucet.address, mnemonic: faucet.mnemonic },
        home,
      };
      fs.writeFileSync(path.join(home, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`);
      console.log(JSON.stringify(endpoints, null, 2));
      console.error(`localnet: running; endpoints in ${path.join(home, 'endpoints.json')}; Ctrl-C to stop`);
      await node.untilStopped;
    });
}
