import { msgResponseTypeUrl, type Module, type ProtoType } from '../types/module.js';

/**
 * The chain's Msgs and queries as the CLI needs them: names to build `tx`/`query` subcommands
 * from, and codecs loaded only when a command runs. Built from the composed chain, or from the
 * compiled CLI's manifest without importing the chain (app/cli/manifest.ts).
 */
export interface MsgEntry {
  readonly typeUrl: string;
  readonly responseTypeUrl: string;
  /** Its SIGN_MODE_LEGACY_AMINO_JSON name, when it has one. */
  readonly aminoName?: string;
  loadType(): Promise<ProtoType<unknown>>;
  loadResponseType(): Promise<ProtoType<unknown>>;
}

export interface QueryEntry {
  readonly path: string;
  loadCodecs(): Promise<{ readonly requestType: ProtoType<unknown>; readonly responseType: ProtoType<unknown> }>;
}

export interface Catalog {
  readonly msgs: readonly MsgEntry[];
  readonly queries: readonly QueryEntry[];
}

export function catalogOfModules(modules: readonly Module[]): Catalog {
  return {
    msgs: modules.flatMap((m) =>
      (m.msgs ?? []).map((h) => ({
        typeUrl: h.typeUrl,
        responseTypeUrl: msgResponseTypeUrl(h),
        aminoName: h.aminoName,
        loadType: async () => h.type,
        loadResponseType: async () => h.responseType,
      })),
    ),
    queries: modules.flatMap((m) => (m.queries ?? []).map((h) => ({ path: h.path, loadCodecs: async () => h }))),
  };
}
