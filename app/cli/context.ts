import fs from 'node:fs';
import path from 'node:path';
import type { DeliverTxResponse } from '@cosmjs/stargate';
import type { ChainConfig } from '../types/chain-config.js';
import type { Module } from '../types/module.js';
import type { Catalog } from './catalog.js';
import { toJson } from './naming.js';

/** How commands reach the chain's modules: see buildCli in app/cli/cli.ts. */
export interface ChainAccess {
  moduleList(): readonly Module[];
  loadModules(): Promise<readonly Module[]>;
  catalog(): Catalog;
}

/** What every command needs: where home is, the chain's modules and config, and how to print. */
export class CliContext {
  private homeDir?: string;
  constructor(
    readonly config: ChainConfig,
    private readonly chain: ChainAccess,
    readonly defaultHome: string,
  ) {}

  setHome(home: string | undefined): void {
    this.homeDir = home ? path.resolve(home) : undefined;
  }

  home(): string {
    return this.homeDir ?? this.defaultHome;
  }

  /** The composed chain's modules; throws in the compiled CLI until loadModules() ran. */
  modules(): readonly Module[] {
    return this.chain.moduleList();
  }

  /** The composed chain's modules, importing the chain first if the CLI started without it. */
  loadModules(): Promise<readonly Module[]> {
    return this.chain.loadModules();
  }

  /** The chain's Msgs and queries for the `tx` and `query` commands, codecs loaded on use. */
  catalog(): Catalog {
    return this.chain.catalog();
  }

  /** The RPC of the node in --home when it wrote endpoints.json, else CometBFT's default. */
  defaultNode(): string {
    const file = path.join(this.home(), 'endpoints.json');
    if (fs.existsSync(file)) {
      const endpoints = JSON.parse(fs.readFileSync(file, 'utf8')) as { rpc?: string };
      if (endpoints.rpc) return endpoints.rpc;
    }
    return 'http://127.0.0.1:26657';
  }

  print(value: unknown): void {
    console.log(toJson(value));
  }

  printTx(result: DeliverTxResponse): void {
    this.print({
      height: result.height,
      txhash: result.transactionHash,
      code: result.code,
      gasWanted: result.gasWanted,
      gasUsed: result.gasUsed,
      rawLog: result.rawLog,
      events: result.events,
    });
    if (result.code !== 0) process.exitCode = 1;
  }
}
