/** ABCI events as CometBFT indexes them: non-empty type and keys, string values, indexed. */
export interface EventAttribute {
  key: string;
  value: string;
  index: boolean;
}

export interface Event {
  type: string;
  attributes: EventAttribute[];
}

export type AttributeInput = Record<string, string> | ReadonlyArray<readonly [string, string]>;

export function makeEvent(type: string, attributes: AttributeInput = []): Event {
  if (!type) throw new Error('event type must be a non-empty string');
  const pairs = Array.isArray(attributes) ? attributes : Object.entries(attributes);
  return {
    type,
    attributes: pairs.map(([key, value]) => {
      if (!key) throw new Error(`event "${type}" has an attribute with an empty key`);
      // CometBFT's kv indexer fails the block on tx.hash / tx.height emitted by an app.
      if (type === 'tx' && (key === 'hash' || key === 'height')) throw new Error(`event tx.${key} is reserved`);
      return { key, value, index: true };
    }),
  };
}

/** Collects events in emission order; a branch's events are appended only if the branch commits. */
export class EventManager {
  private readonly list: Event[] = [];

  emit(type: string, attributes: AttributeInput = []): void {
    this.list.push(makeEvent(type, attributes));
  }

  emitEvent(event: Event): void {
    this.list.push(event);
  }

  append(events: readonly Event[]): void {
    this.list.push(...events);
  }

  get events(): readonly Event[] {
    return this.list;
  }
}
