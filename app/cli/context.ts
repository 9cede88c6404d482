import fs from 'node:fs';
import path from 'node:path';
import type { JsonCodec, ProtoJson } from '../codec/proto-json.js';
import type { ChainConfig } from '../types/chain-config.js';
import type { Module } from '../types/module.js';
import type { Catalog } from './catalog.js';
import { toJson } from './naming.js';
import { toText } from './text-output.js';

export type OutputFormat = 'json' | 'text';

/** How commands reach the chain's modules: see buildCli in app/cli/cli.ts. */
export interface ChainAccess {
  moduleList(): readonly Module[];
  loadModules(): Promise<readonly Module[]>;
  catalog(): Catalog;
}

/** What every command needs: where home is, the chain's modules and config, and how to print. */
export class CliContext {
  private homeDir?: string;
  private outputFormat: OutputFormat = 'json';
  private json?: Promise<ProtoJson>;
  constructor(
    readonly config: ChainConfig,
    private readonly chain: ChainAccess,
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

  /**
   * proto3 JSON of the chain's messages, Anys written with "@type". Its registry holds the codec
   * of every Msg, loaded from the catalog on first use (the chain itself is not imported).
   */
  protoJson(): Promise<ProtoJson> {
    return (this.json ??= (async () => {
      const { protoJsonOfMsgs } = await import('../codec/proto-json.js');
      const msgs = await Promise.all(
        this.catalog().msgs.map(async (m) => ({
          typeUrl: m.typeUrl,
          type: await m.loadType(),
          responseTypeUrl: m.responseTypeUrl,
          responseType: await m.loadResponseType(),
        })),
      );
      return protoJsonOfMsgs(msgs);
    })());
  }

  /** Reads proto3 JSON into a message of `codec`; the registry is loaded only when the JSON holds an Any. */
  async fromProtoJson<T>(codec: JsonCodec<T>, json: unknown): Promise<T> {
    const { holdsTypedAny } = await import('../codec/proto-json.js');
    return holdsTypedAny(json) ? (await this.protoJson()).fromJson(codec, json) : codec.fromJSON(json);
  }

  /** A message of `codec` as proto3 JSON; the registry is loaded only when the message holds an Any. */
  async toProtoJson<T>(codec: JsonCodec<T>, message: T): Promise<unknown> {
    const { holdsGeneratedAny } = await import('../codec/proto-json.js');
    const plain = codec.toJSON(message);
    return holdsGeneratedAny(plain) ? (await this.protoJson()).toJson(codec, message) : plain;
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
