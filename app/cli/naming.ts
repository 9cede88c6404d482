/**
 * One name for one thing: Msg `MsgShip` of package `parazone.drugregistry.v1` is run by
 * `parazone tx drugregistry ship`; query `/parazone.drugregistry.v1.Query/UnitHistory` by
 * `parazone query drugregistry unit-history`.
 */

/** "bank" for "/cosmos.bank.v1beta1.MsgSend", "drugregistry" for "/parazone.drugregistry.v1.MsgShip". */
export function groupOfTypeUrl(typeUrlOrPath: string): string {
  const parts = typeUrlOrPath.replace(/^\//, '').split('.');
  return parts[1] ?? parts[0]!;
}

/** "ship" for MsgShip, "multi-send" for MsgMultiSend. */
export function commandName(typeUrl: string): string {
  const last = typeUrl.split('.').pop()!.replace(/^Msg/, '');
  return kebab(last);
}

/** "unit-history" for "/parazone.drugregistry.v1.Query/UnitHistory". */
export function queryCommandName(path: string): string {
  return kebab(path.split('/').pop()!);
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** JSON for printing: bigint as string, bytes as base64. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      return v;
    },
    2,
  );
}

/** Short names users know from the Cosmos SDK CLI, as aliases of our group names. */
export const GROUP_ALIASES: Readonly<Record<string, string>> = { governance: 'gov', drugregistry: 'drug' };
