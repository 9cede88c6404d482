import { CORE_DESCRIPTORS, coreSchemas, MessageSchemas } from '../codec/message-schemas.js';
import { ErrInvalidRequest, ErrUnknownRequest } from '../types/errors.js';
import type { Module, MsgHandler, QueryHandler } from '../types/module.js';

/**
 * Routes Msgs by type URL and queries by path to the module that registered them. Built once from
 * the module list; a duplicate registration is a composition error caught at start-up.
 */
export class Router {
  private readonly msgHandlers = new Map<string, { handler: MsgHandler; module: Module }>();
  private readonly queryHandlers = new Map<string, QueryHandler>();
  /** The message schemas txs are checked against: the core ones plus the modules' own. */
  readonly schemas: MessageSchemas;

  constructor(modules: readonly Module[]) {
    const extra = modules.flatMap((m) => (m.descriptors ? [m.descriptors] : []));
    this.schemas = extra.length === 0 ? coreSchemas : new MessageSchemas([CORE_DESCRIPTORS, ...extra]);
    for (const module of modules) {
      for (const handler of module.msgs ?? []) {
        const existing = this.msgHandlers.get(handler.typeUrl);
        if (existing) {
          throw new Error(`Msg ${handler.typeUrl} is registered by both "${existing.module.name}" and "${module.name}"`);
        }
        this.msgHandlers.set(handler.typeUrl, { handler, module });
      }
      for (const query of module.queries ?? []) {
        if (this.queryHandlers.has(query.path)) throw new Error(`query path ${query.path} is registered twice`);
        this.queryHandlers.set(query.path, query);
      }
    }
  }

  /** Adds a query served by the framework itself (e.g. tx simulation). */
  addQuery(query: QueryHandler): void {
    if (this.queryHandlers.has(query.path)) throw new Error(`query path ${query.path} is registered twice`);
    this.queryHandlers.set(query.path, query);
  }

  handler(typeUrl: string): MsgHandler | undefined {
    return this.msgHandlers.get(typeUrl)?.handler;
  }

  query(path: string): QueryHandler | undefined {
    return this.queryHandlers.get(path);
  }

  /**
   * The handler of query `path` and its request decoded from `data`, so no handler ever sees
   * bytes that are not its request: ErrUnknownRequest (6) for a path nobody serves,
   * ErrInvalidRequest (18) for data that does not decode. As in the SDK's gRPC query router,
   * unknown fields are skipped (only txs must refuse them).
   */
  routeQuery(path: string, data: Uint8Array): { handler: QueryHandler; request: unknown } {
    const handler = this.queryHandlers.get(path);
    if (!handler) throw ErrUnknownRequest.wrap(`unknown query path ${path}`);
    try {
      return { handler, request: handler.requestType.decode(data) };
    } catch (err) {
      throw ErrInvalidRequest.wrap(`${path}: the request data does not decode: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  get msgTypeUrls(): string[] {
    return [...this.msgHandlers.keys()].sort();
  }

  get queryPaths(): string[] {
    return [...this.queryHandlers.keys()].sort();
  }
}

/**
 * The SDK's `message.module` value: the second segment of the type URL
 * ("/cosmos.bank.v1beta1.MsgSend" → "bank", "/parazone.tokens.v1.MsgMint" → "tokens").
 */
export function moduleNameFromTypeUrl(typeUrl: string): string {
  let name = moduleNames.get(typeUrl);
  if (name === undefined) {
    const parts = typeUrl.replace(/^\//, '').split('.');
    name = parts.length >= 2 ? parts[1]! : '';
    // Type URLs reaching here are registered Msgs (few), so the memo stays small; bounded anyway.
    if (moduleNames.size >= 4096) moduleNames.clear();
    moduleNames.set(typeUrl, name);
  }
  return name;
}

/** Every tx's message events name its module: the split is done once per type URL. */
const moduleNames = new Map<string, string>();
