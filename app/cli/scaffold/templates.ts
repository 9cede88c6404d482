/**
 * The files of a scaffolded module, in the house's module template (see modules/tokens): one
 * function per file, taking the names and the import path back to the repository's `app/`.
 * The sample state is a record per (owner, key), set by a Msg and read by a query.
 */
export interface ModuleNames {
  /** Module, store and codespace name, and the CLI group: "inventory". */
  readonly name: string;
  /** "Inventory". */
  readonly pascal: string;
  /** Protobuf package: "<org>.inventory.v1". */
  readonly protoPackage: string;
  /** Relative import path from the module folder to the repository's app/, e.g. "../../app". */
  readonly app: string;
  /** The same to the repository root's node_modules/.bin, for buf.gen.yaml. */
  readonly bin: string;
}

export const templates: Readonly<Record<string, (n: ModuleNames) => string>> = {
  'buf.yaml': () => `# This module's own protobuf workspace: nothing here is known to Parazone's core.
# Cosmos naming (service Query / Msg, MsgX → MsgXResponse) takes precedence over buf's defaults.
version: v2
modules:
  - path: proto
lint:
  use:
    - STANDARD
  except:
    - SERVICE_SUFFIX
    - RPC_REQUEST_STANDARD_NAME
    - RPC_RESPONSE_STANDARD_NAME
    - RPC_REQUEST_RESPONSE_UNIQUE
`,
  'buf.gen.yaml': (n) => `# Regenerate with \`npm run proto:gen\` (or \`buf generate --template buf.gen.yaml .\` here).
version: v2
plugins:
  - local: ${n.bin}/protoc-gen-ts_proto
    out: generated
    opt:
      - esModuleInterop=true
      - forceLong=bigint
      - importSuffix=.js
      - outputServices=generic-definitions
      - outputServices=default
      - useDate=false
      - env=node
`,
  proto: (n) => `syntax = "proto3";

package ${n.protoPackage};

// Record is a value an account stored under a key of its own.
message Record {
  string owner = 1;
  string key = 2;
  string value = 3;
}

// GenesisState is the ${n.name} module's slice of genesis app_state.
message GenesisState {
  repeated Record records = 1;
}

// MsgSetRecord stores (or replaces) a record of its signer.
message MsgSetRecord {
  string owner = 1;
  string key = 2;
  string value = 3;
}

// MsgSetRecordResponse is empty.
message MsgSetRecordResponse {}

// QueryRecordRequest asks for one record of an owner.
message QueryRecordRequest {
  string owner = 1;
  string key = 2;
}

// QueryRecordResponse holds the record.
message QueryRecordResponse {
  Record record = 1;
}

// Query serves the ${n.name} module's state.
service Query {
  // Record returns one record of an owner.
  rpc Record(QueryRecordRequest) returns (QueryRecordResponse);
}

// Msg is the ${n.name} module's transaction service.
service Msg {
  // SetRecord stores a record.
  rpc SetRecord(MsgSetRecord) returns (MsgSetRecordResponse);
}
`,
  'keys.ts': (n) => `import { StoreKey } from '${n.app}/store/types.js';

/**
 * Key layout of the ${n.name} store (inside its "${n.name}/" prefix). Built only by these functions.
 *
 *   owner | "/" | key → Record (protobuf)
 *
 * Bech32 addresses never contain "/", so one owner's records form one contiguous range.
 */
export const MODULE_NAME = '${n.name}';
export const STORE_KEY = new StoreKey(MODULE_NAME);

const encoder = new TextEncoder();

export function recordKey(owner: string, key: string): Uint8Array {
  return encoder.encode(\`\${owner}/\${key}\`);
}
`,
  'errors.ts': (n) => `import { registerError } from '${n.app}/types/errors.js';
import { MODULE_NAME } from './keys.js';

/** Errors of the ${n.name} module, codespace "${n.name}" (code 1 is reserved, as in the SDK). */
export const ErrEmptyKey = registerError(MODULE_NAME, 2, 'empty key');
export const ErrValueTooLong = registerError(MODULE_NAME, 3, 'value too long');
export const ErrRecordNotFound = registerError(MODULE_NAME, 4, 'record not found');
export const ErrInvalidGenesis = registerError(MODULE_NAME, 5, 'invalid genesis state');
`,
  'events.ts': (n) => `import type { EventManager } from '${n.app}/types/events.js';

/** Event types of the ${n.name} module, for indexers and \`searchTx\` queries. */
export const EventTypes = {
  recordSet: '${n.name}_record_set',
} as const;

export function emitRecordSet(events: EventManager, owner: string, key: string): void {
  events.emit(EventTypes.recordSet, [
    ['owner', owner],
    ['key', key],
  ]);
}
`,
  'expected-keepers.ts': (n) => `import type { Context } from '${n.app}/types/context.js';

/**
 * What ${n.name} needs from other modules, as narrow interfaces: modules talk through keepers,
 * never through another module's store. Wire them in module.ts from the chain's CoreKeepers.
 */
export interface AccountKeeperFor${n.pascal} {
  ensureAccount(ctx: Context, address: string): unknown;
}
`,
  'keeper.ts': (n) => `import type { Context } from '${n.app}/types/context.js';
import { Record } from './generated/${n.protoPackage.split('.').join('/')}/${n.name}.js';
import { ErrValueTooLong } from './errors.js';
import type { AccountKeeperFor${n.pascal} } from './expected-keepers.js';
import { recordKey, STORE_KEY } from './keys.js';

export const MAX_VALUE_LENGTH = 1024;

/** The ${n.name} module's state: records by (owner, key). The only code that touches its store. */
export class ${n.pascal}Keeper {
  readonly storeKey = STORE_KEY;

  constructor(private readonly accounts: AccountKeeperFor${n.pascal}) {}

  setRecord(ctx: Context, record: Record): void {
    if (record.value.length > MAX_VALUE_LENGTH) throw ErrValueTooLong.wrap(\`a value holds at most \${MAX_VALUE_LENGTH} characters, got \${record.value.length}\`);
    this.accounts.ensureAccount(ctx, record.owner);
    ctx.kv(STORE_KEY).set(recordKey(record.owner, record.key), Record.encode(record).finish());
  }

  getRecord(ctx: Context, owner: string, key: string): Record | undefined {
    const bytes = ctx.kv(STORE_KEY).get(recordKey(owner, key));
    return bytes === undefined ? undefined : Record.decode(bytes);
  }

  /** Every record in key order (for genesis export). */
  allRecords(ctx: Context): Record[] {
    return [...ctx.kv(STORE_KEY).iterator(undefined, undefined)].map((p) => Record.decode(p.value));
  }
}
`,
  'msgs.ts': (n) => `import type { ChainConfig } from '${n.app}/types/chain-config.js';
import { defineMsg, type MsgHandler } from '${n.app}/types/module.js';
import { MsgSetRecord, MsgSetRecordResponse } from './generated/${n.protoPackage.split('.').join('/')}/${n.name}.js';
import { ErrEmptyKey } from './errors.js';
import { emitRecordSet } from './events.js';
import type { ${n.pascal}Keeper } from './keeper.js';

export const TypeUrls = {
  setRecord: '/${n.protoPackage}.MsgSetRecord',
} as const;

/** The ${n.name} module's Msgs. Add one: a message in the proto's Msg service, then a defineMsg here. */
export function ${n.name}Msgs(keeper: ${n.pascal}Keeper, config: ChainConfig): MsgHandler[] {
  return [
    defineMsg({
      typeUrl: TypeUrls.setRecord,
      type: MsgSetRecord,
      responseType: MsgSetRecordResponse,
      signers: (msg) => [msg.owner],
      validateBasic(msg) {
        config.addresses.decode(msg.owner, 'owner');
        if (msg.key.trim() === '') throw ErrEmptyKey.wrap('give the record a key');
      },
      handle(ctx, msg) {
        keeper.setRecord(ctx, { owner: msg.owner, key: msg.key, value: msg.value });
        emitRecordSet(ctx.events, msg.owner, msg.key);
        return {};
      },
    }),
  ];
}
`,
  'queries.ts': (n) => `import type { ChainConfig } from '${n.app}/types/chain-config.js';
import { defineQuery, type QueryHandler } from '${n.app}/types/module.js';
import { QueryRecordRequest, QueryRecordResponse } from './generated/${n.protoPackage.split('.').join('/')}/${n.name}.js';
import { ErrRecordNotFound } from './errors.js';
import type { ${n.pascal}Keeper } from './keeper.js';

/** The ${n.name} module's gRPC-style queries (served over ABCI Query). */
export function ${n.name}Queries(keeper: ${n.pascal}Keeper, config: ChainConfig): QueryHandler[] {
  return [
    defineQuery({
      path: '/${n.protoPackage}.Query/Record',
      requestType: QueryRecordRequest,
      responseType: QueryRecordResponse,
      handle(ctx, req) {
        config.addresses.decode(req.owner, 'owner');
        const record = keeper.getRecord(ctx, req.owner, req.key);
        if (!record) throw ErrRecordNotFound.wrap(\`\${req.owner} has no record "\${req.key}"\`);
        return { record };
      },
    }),
  ];
}
`,
  'genesis.ts': (n) => `import type { ChainConfig } from '${n.app}/types/chain-config.js';
import type { GenesisHandler } from '${n.app}/types/module.js';
import { GenesisState } from './generated/${n.protoPackage.split('.').join('/')}/${n.name}.js';
import { ErrInvalidGenesis } from './errors.js';
import type { ${n.pascal}Keeper } from './keeper.js';

/** The ${n.name} module's slice of genesis: its records. */
export function ${n.name}Genesis(keeper: ${n.pascal}Keeper, config: ChainConfig): GenesisHandler<GenesisState> {
  return {
    defaultGenesis: () => GenesisState.toJSON({ records: [] }),
    validate(json) {
      const genesis = GenesisState.fromJSON(json);
      const seen = new Set<string>();
      for (const record of genesis.records) {
        config.addresses.decode(record.owner, 'record owner');
        const id = \`\${record.owner}/\${record.key}\`;
        if (seen.has(id)) throw ErrInvalidGenesis.wrap(\`${n.name} genesis: duplicate record \${id}\`);
        seen.add(id);
      }
      return genesis;
    },
    init(ctx, genesis) {
      for (const record of genesis.records) keeper.setRecord(ctx, record);
    },
    export: (ctx) => GenesisState.toJSON({ records: keeper.allRecords(ctx) }),
  };
}
`,
  'module.ts': (n) => `import { readFileSync } from 'node:fs';
import type { ModuleFactory } from '${n.app}/app.js';
import type { ChainConfig } from '${n.app}/types/chain-config.js';
import type { Module } from '${n.app}/types/module.js';
import type { AccountKeeperFor${n.pascal} } from './expected-keepers.js';
import { ${n.name}Genesis } from './genesis.js';
import { ${n.pascal}Keeper } from './keeper.js';
import { MODULE_NAME } from './keys.js';
import { ${n.name}Msgs } from './msgs.js';
import { ${n.name}Queries } from './queries.js';

export interface ${n.pascal}ModuleOptions {
  config: ChainConfig;
  accounts: AccountKeeperFor${n.pascal};
}

/** The ${n.name} module: its Msgs, queries and genesis over its own store. */
export function create${n.pascal}Module(options: ${n.pascal}ModuleOptions): { module: Module; keeper: ${n.pascal}Keeper } {
  const keeper = new ${n.pascal}Keeper(options.accounts);
  const module: Module = {
    name: MODULE_NAME,
    storeKey: keeper.storeKey,
    // The schemas of this module's messages, so the tx decoder can check them for unknown fields.
    descriptors: readFileSync(new URL('./generated/descriptors.binpb', import.meta.url)),
    msgs: ${n.name}Msgs(keeper, options.config),
    queries: ${n.name}Queries(keeper, options.config),
    genesis: ${n.name}Genesis(keeper, options.config),
  };
  return { module, keeper };
}

/** What a chain file lists in \`extraModules\`: the module built from the chain's core keepers. */
export const ${n.name}Module: ModuleFactory = ({ config, auth }) => create${n.pascal}Module({ config, accounts: auth }).module;
`,
  'module.spec.ts': (n) => `import { makeChainConfig } from '${n.app}/types/chain-config.js';
import { ChainError } from '${n.app}/types/errors.js';
import { testContext } from '${n.app}/../test/harness.js';
import { create${n.pascal}Module } from './module.js';

function setup() {
  const config = makeChainConfig();
  const accounts = { ensureAccount: () => undefined };
  const { module, keeper } = create${n.pascal}Module({ config, accounts });
  const owner = config.addresses.encode(new Uint8Array(20).fill(1));
  return { config, module, keeper, owner, ctx: testContext() };
}

describe('${n.name} module', () => {
  it('stores a record through its Msg and serves it through its query', () => {
    const { module, owner, ctx } = setup();
    const msg = module.msgs!.find((m) => m.typeUrl === '/${n.protoPackage}.MsgSetRecord')!;
    msg.validateBasic!({ owner, key: 'color', value: 'blue' });
    msg.handle(ctx, { owner, key: 'color', value: 'blue' });
    const query = module.queries!.find((q) => q.path === '/${n.protoPackage}.Query/Record')!;
    expect(query.handle(ctx, { owner, key: 'color' })).toEqual({ record: { owner, key: 'color', value: 'blue' } });
  });

  it('refuses an empty key with a registered error', () => {
    const { module, owner } = setup();
    const msg = module.msgs![0]!;
    expect(() => msg.validateBasic!({ owner, key: ' ', value: 'x' })).toThrow(ChainError);
  });

  it('round-trips genesis', () => {
    const { module, owner, ctx } = setup();
    const genesis = module.genesis!.validate({ records: [{ owner, key: 'k', value: 'v' }] });
    module.genesis!.init(ctx, genesis);
    expect(module.genesis!.export!(ctx)).toEqual({ records: [{ owner, key: 'k', value: 'v' }] });
  });
});
`,
};

/** A new chain file: the stock modules plus the extra ones, with the full \`parazone\` CLI. */
export function chainFile(app: string, moduleImport: string, factory: string): string {
  return `/**
 * This chain's entry point: the stock Parazone modules plus its own, with the full \`parazone\`
 * CLI (init, start, tx, query…). The parallel executor's worker threads import this file too: there
 * runCli only hands them the spec, so keep the call at the top level.
 *
 *   node --import tsx <this file> start --home <dir>
 */
import { runCli } from '${app}/cli/cli.js';
${moduleImport}

await runCli({ extraModules: [${factory}] });
`;
}
