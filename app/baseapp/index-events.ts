import type { Event, EventAttribute } from '../types/events.js';

/**
 * Which event attributes CometBFT's tx indexer stores (app.toml `index-events`, as in the SDK):
 * CometBFT indexes an attribute only when the app flags it `index: true`, and every indexed
 * attribute costs it a key/value write per tx. The list holds `type.attribute` keys; an empty list
 * flags every attribute (the SDK's meaning of `index-events = []`). The flags are node-local:
 * CometBFT's results hash covers code, data and gas, never events, so nodes may differ here.
 *
 * The default keeps what clients search by: `tx.hash` and `tx.height` are CometBFT's own (always
 * indexed); cosmjs `searchTx` and explorers use the sender, action and transfer parties, the SDK's
 * account-sequence and signature lookups use `tx.acc_seq` / `tx.signature`; and each module's key
 * ids (proposals, packets and clients, products, lots, shipments, recalls…).
 */
export const DEFAULT_INDEX_EVENTS: readonly string[] = [
  'message.sender',
  'message.action',
  'transfer.recipient',
  'transfer.sender',
  'tx.acc_seq',
  'tx.signature',
  // governance
  'submit_proposal.proposal_id',
  'proposal_deposit.proposal_id',
  'proposal_vote.proposal_id',
  'proposal_vote.voter',
  'active_proposal.proposal_id',
  'inactive_proposal.proposal_id',
  'proposal_failed.proposal_id',
  'proposal_canceled.proposal_id',
  // ibc
  'create_client.client_id',
  'update_client.client_id',
  // Relayers and the web page's zones view look packets up by client and sequence.
  'send_packet.packet_sequence',
  'send_packet.packet_source_client',
  'recv_packet.packet_sequence',
  'recv_packet.packet_dest_client',
  'write_acknowledgement.packet_sequence',
  'write_acknowledgement.packet_dest_client',
  'acknowledge_packet.packet_sequence',
  'acknowledge_packet.packet_source_client',
  'timeout_packet.packet_sequence',
  'timeout_packet.packet_source_client',
  'ibc_transfer.sender',
  'ibc_transfer.receiver',
  // drug registry
  'drugregistry_product_registered.gtin',
  'drugregistry_batch_commissioned.gtin',
  'drugregistry_batch_commissioned.lot',
  'drugregistry_units_commissioned.gtin',
  'drugregistry_units_packed.sscc',
  'drugregistry_units_unpacked.sscc',
  'drugregistry_shipment_created.id',
  'drugregistry_shipment_received.id',
  'drugregistry_shipment_rejected.id',
  'drugregistry_shipment_cancelled.id',
  'drugregistry_suspect_reported.investigation_id',
  'drugregistry_investigation_resolved.investigation_id',
  'drugregistry_recall_initiated.recall_id',
  'drugregistry_recall_completed.recall_id',
  'drugregistry_units_exported.transfer',
  'drugregistry_units_imported.transfer',
  'drugregistry_participant_registered.address',
];

/** `type.attribute`: a non-empty type, a dot, a non-empty attribute key. */
const INDEX_KEY = /^[^.\s]+\.[^\s]+$/;

/** Checks a configured list; returns it unchanged. */
export function validateIndexEvents(keys: readonly string[]): readonly string[] {
  for (const key of keys) {
    if (!INDEX_KEY.test(key)) throw new Error(`index-events entry ${JSON.stringify(key)} is not "type.attribute" (e.g. "message.sender")`);
  }
  return keys;
}

/**
 * Sets each attribute's `index` flag from the list, for the events of one ABCI response. Events
 * come out of the state machine flagged `index: true`, so with an empty list they pass through as
 * they are; otherwise only attributes whose flag changes are copied.
 */
export class EventIndexer {
  private readonly keys: ReadonlyMap<string, ReadonlySet<string>> | undefined;

  constructor(indexEvents: readonly string[] = []) {
    if (indexEvents.length === 0) return;
    const byType = new Map<string, Set<string>>();
    for (const entry of validateIndexEvents(indexEvents)) {
      const dot = entry.indexOf('.');
      const type = entry.slice(0, dot);
      let set = byType.get(type);
      if (!set) byType.set(type, (set = new Set()));
      set.add(entry.slice(dot + 1));
    }
    this.keys = byType;
  }

  /** True when an attribute `type.key` is flagged for the indexer. */
  indexes(type: string, key: string): boolean {
    return this.keys === undefined || (this.keys.get(type)?.has(key) ?? false);
  }

  flag(events: readonly Event[]): Event[] {
    const keys = this.keys;
    if (keys === undefined) return events as Event[];
    return events.map((event) => {
      const indexed = keys.get(event.type);
      let attributes: EventAttribute[] | undefined;
      event.attributes.forEach((attr, i) => {
        const index = indexed?.has(attr.key) ?? false;
        if (attr.index === index) return;
        attributes ??= event.attributes.slice();
        attributes[i] = { key: attr.key, value: attr.value, index };
      });
      return attributes ? { type: event.type, attributes } : event;
    });
  }
}
