/**
 * The shape of a JSON answer (field names, nesting and JSON types; never values), and where two
 * shapes differ, for comparing our API's answers with the Cosmos SDK's.
 */

/** A JSON type, or an object's fields, or an array's element shape (its elements merged). */
export type Shape =
  'string' | 'number' | 'boolean' | 'null' | { readonly array: Shape | 'empty' } | { readonly object: Readonly<Record<string, Shape>> };

export function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return { array: value.length === 0 ? 'empty' : value.map(shapeOf).reduce(merge) };
  if (typeof value === 'object') {
    const fields: Record<string, Shape> = {};
    for (const key of Object.keys(value as object).sort()) fields[key] = shapeOf((value as Record<string, unknown>)[key]);
    return { object: fields };
  }
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  throw new Error(`not JSON: ${type}`);
}

/** Two elements of one array as one shape: objects with the union of their fields. */
function merge(a: Shape, b: Shape): Shape {
  if (typeof a === 'object' && typeof b === 'object' && 'object' in a && 'object' in b) {
    const fields: Record<string, Shape> = { ...a.object };
    for (const [key, shape] of Object.entries(b.object)) fields[key] = key in fields ? merge(fields[key]!, shape) : shape;
    return { object: fields };
  }
  if (typeof a === 'object' && typeof b === 'object' && 'array' in a && 'array' in b) {
    if (a.array === 'empty') return b;
    if (b.array === 'empty') return a;
    return { array: merge(a.array, b.array) };
  }
  // One element's unset message (null) says less than another's set one.
  if (a === 'null') return b;
  if (b === 'null') return a;
  if (kindOf(a) !== kindOf(b)) throw new Error(`array elements of different JSON types: ${kindOf(a)} and ${kindOf(b)}`);
  return a;
}

function kindOf(shape: Shape | 'empty'): string {
  if (typeof shape === 'string') return shape;
  return 'array' in shape ? 'array' : 'object';
}

/**
 * Every place where `ours` and `theirs` differ, one line each: `path: ours <type>, sdk <type>`,
 * `path: only ours` or `path: only sdk`. Array elements are `path[]`. An empty array matches any.
 */
export function shapeDifferences(ours: Shape, theirs: Shape, path = '$'): string[] {
  if (typeof ours === 'object' && typeof theirs === 'object') {
    if ('object' in ours && 'object' in theirs) {
      const keys = [...new Set([...Object.keys(ours.object), ...Object.keys(theirs.object)])].sort();
      return keys.flatMap((key) => {
        const [a, b] = [ours.object[key], theirs.object[key]];
        if (a === undefined) return [`${path}.${key}: only sdk`];
        if (b === undefined) return [`${path}.${key}: only ours`];
        return shapeDifferences(a, b, `${path}.${key}`);
      });
    }
    if ('array' in ours && 'array' in theirs) {
      if (ours.array === 'empty' || theirs.array === 'empty') return [];
      return shapeDifferences(ours.array, theirs.array, `${path}[]`);
    }
  }
  return kindOf(ours) === kindOf(theirs) ? [] : [`${path}: ours ${kindOf(ours)}, sdk ${kindOf(theirs)}`];
}
