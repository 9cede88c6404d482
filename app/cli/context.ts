import fs from 'node:fs';
import path from 'node:path';
import { protoJsonFor, type ProtoJson } from '../codec/proto-json.js';
import type { ChainConfig } from '../types/chain-config.js';
import type { Module } from '../types/module.js';
import { toJson } from './naming.js';
import { toText } from './text-output.js';

export type OutputFormat = 'json' | 'text';

/** What every command needs: where home is, the chain's modules and config, and how to print. */
export class CliContext {
  private homeDir?: string;
  private outputFormat: OutputFormat = 'json';
  private json?: ProtoJson;
  constructor(
    readonly config: ChainConfig,
    private readonly moduleList: () => readonly Module[],
    readonly defaultHome: string,
  ) {}

  setHome(home: string | undefined): void {
    this.homeDir = home ? path.resolve(home) : undefined;
  }

  setOutput(format: string | undefined): void {
    if (format === undefined) return;
    if (format !== 'json' && format !== 'text') throw new Error(`--output must be "json" or "text", got "${format}"`);
    this.outputFormat = format;
  }

  home(): string {
    return this.homeDir ?? this.defaultHome;
  }

  modules(): readonly Module[] {
    return this.moduleList();
  }

  /** proto3 JSON of the chain's messages, Anys written with "@type". */
  protoJson(): ProtoJson {
    return (this.json ??= protoJsonFor(this.modules()));
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

  /** Prints a result in the --output format: JSON (the default, as the SDK CLI's) or YAML-like text. */
  print(value: unknown): void {
    console.log(this.outputFormat === 'text' ? toText(value) : toJson(value));
  }
}
