/**
 * `--output text`: the YAML the Cosmos SDK CLI prints for the same JSON (block style, two-space
 * indentation, strings quoted only when plain YAML would read them as something else).
 */
export function toText(value: unknown): string {
  return lines(jsonSafe(value), 0).join('\n');
}

function lines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (isNested(item)) {
        const [first, ...rest] = lines(item, indent + 2);
        return [`${pad}- ${first!.trimStart()}`, ...rest];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, v]) => {
      if (isNested(v)) return [`${pad}${scalar(key)}:`, ...lines(v, Array.isArray(v) ? indent : indent + 2)];
      return [`${pad}${scalar(key)}: ${scalar(v)}`];
    });
  }
  return [`${pad}${scalar(value)}`];
}

/** Non-empty arrays and objects go on their own lines; empty ones print inline as [] and {}. */
function isNested(value: unknown): boolean {
  return (Array.isArray(value) && value.length > 0) || (isObject(value) && Object.keys(value).length > 0);
}

function scalar(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isObject(value)) return '{}';
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'string') return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

const PLAIN = /^[A-Za-z0-9_/.][A-Za-z0-9_/.+\-@=]*$/;
/** Words and numbers a YAML reader would not take as strings. */
const RESERVED = /^(true|false|yes|no|on|off|null|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|\d{4}-\d\d-\d\d.*)$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** bigint as string and bytes as base64, as in JSON output. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v) =>
      typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
    ) ?? 'null',
  );
}
