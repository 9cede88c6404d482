/**
 * A cosmjs Registry for the browser: cosmjs's defaults (bank…) plus every Msg of the chain's own
 * packages, taken from the generated codecs (each `Msg…` export but the `…Response`s), with the
 * type URL `/<package>.<Msg>` the chain routes on.
 */
import { Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import * as authTx from '../../../../generated/parazone/auth/v1/tx.js';
import * as drugTx from '../../../../generated/parazone/drugregistry/v1/tx.js';
import * as govTx from '../../../../generated/parazone/governance/v1/tx.js';
import * as ibcTx from '../../../../generated/parazone/ibc/v1/tx.js';
import * as tokensTx from '../../../../generated/parazone/tokens/v1/tx.js';

const PACKAGES: readonly Record<string, unknown>[] = [authTx, drugTx, govTx, ibcTx, tokensTx];

export function chainRegistry(): Registry {
  const registry = new Registry(defaultRegistryTypes);
  for (const pkg of PACKAGES) {
    const name = pkg.protobufPackage as string;
    for (const [exported, value] of Object.entries(pkg)) {
      if (!exported.startsWith('Msg') || exported.endsWith('Response')) continue;
      const typeUrl = `/${name}.${exported}`;
      if (!registry.lookupType(typeUrl)) registry.register(typeUrl, value as GeneratedType);
    }
  }
  return registry;
}

export const registry = chainRegistry();

/** An Any's value decoded to a plain object, or undefined for a type the page does not know. */
export function decodeAny(any: { typeUrl: string; value: Uint8Array }): Record<string, unknown> | undefined {
  if (!registry.lookupType(any.typeUrl)) return undefined;
  try {
    return registry.decode(any) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A decoded message as readable JSON (bigints as strings, bytes as hex). */
export function messageJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Uint8Array) return Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('');
      return v;
    },
    2,
  );
}
