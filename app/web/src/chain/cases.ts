/**
 * The cases (SSCC containers) a holder can ship whole: the outermost sealed container above each
 * held pack that sits in one, with the number of held packs inside it at any depth.
 */
import type { Container, Unit } from '../../../../generated/parazone/drugregistry/v1/types.js';
import { drugQuery } from './queries.js';

export interface HeldCase {
  readonly container: Container;
  readonly packs: number;
}

export async function heldCases(units: readonly Unit[]): Promise<HeldCase[]> {
  const containers = new Map<string, Container | undefined>();
  const load = async (sscc: string): Promise<Container | undefined> => {
    if (!containers.has(sscc)) containers.set(sscc, (await drugQuery.container({ sscc })).container);
    return containers.get(sscc);
  };
  const packs = new Map<string, number>();
  const outer = new Map<string, Container>();
  // Sorted so the walk (and so the list) does not depend on the inventory's order.
  for (const unit of [...units].filter((u) => u.parent).sort((a, b) => (a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : 0))) {
    let top = await load(unit.parent);
    // Nesting is bounded by the registry's maxAggregationDepth; the guard only stops a cycle.
    for (let depth = 0; top?.parent && depth < 16; depth++) top = await load(top.parent);
    if (!top) continue;
    outer.set(top.sscc, top);
    packs.set(top.sscc, (packs.get(top.sscc) ?? 0) + 1);
  }
  return [...outer.values()]
    .sort((a, b) => (a.sscc < b.sscc ? -1 : 1))
    .map((container) => ({ container, packs: packs.get(container.sscc)! }));
}
