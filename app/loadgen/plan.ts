/**
 * What each tx of a run does, decided before any signing: sender, recipient and sequence, in the
 * order they will be sent. Txs go out in rounds (every sender's sequence s before anyone's s+1),
 * so consecutive txs of one account are `senders` sends apart and reach CheckTx in order.
 */
import { seededRandom } from '../exec/prng.js';

/** Workloads this tool can drive. */
export const WORKLOADS = ['transfer', 'hot', 'mixed', 'drug'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export const WORKLOAD_DESCRIPTIONS: Record<WorkloadName, string> = {
  transfer: 'MsgSend between many accounts, each tx to a random other account (low contention)',
  hot: 'MsgSend from many accounts, all to one hot account (every tx writes the same balance)',
  mixed: 'half transfers between random accounts, half to the hot account, interleaved',
  drug:
    'drug custody: MsgShip (SALE) of one serialized unit from a registered wholesaler to a random other wholesaler; ' +
    'each sender ships its own units, received from the manufacturer at genesis (ship only: shipments stay in transit; localnet only)',
};

/** Workloads whose txs are drug registry operations (they need the drug genesis of drug-genesis.ts). */
export const isDrugWorkload = (w: WorkloadName) => w === 'drug';

/** Why the drug workload refuses a running chain. */
export const DRUG_NEEDS_LOCALNET =
  'drug workload needs a localnet: its senders must be registered wholesalers holding serialized units at genesis, which loadgen writes into the genesis of the localnet it starts (drop --node)';

export interface TxPlan {
  readonly workload: WorkloadName;
  /** Number of sending accounts (indexes 0..senders-1). */
  readonly senders: number;
  /** Account index of the hot recipient (= senders: one extra account, funded, never sends; unused by drug). */
  readonly hotIndex: number;
  /** Per tx, in send order. */
  readonly from: Int32Array;
  /** Recipient account index (drug: the wholesaler the unit is shipped to). */
  readonly to: Int32Array;
  /** Offset from the sender's starting sequence (its round; drug: also which of its units it ships). */
  readonly round: Int32Array;
}

export function isWorkload(name: string): name is WorkloadName {
  return (WORKLOADS as readonly string[]).includes(name);
}

export function planTxs(workload: WorkloadName, txs: number, senders: number, seed = 1): TxPlan {
  if (!Number.isSafeInteger(txs) || txs < 1) throw new Error(`txs must be a positive integer, got ${txs}`);
  if (!Number.isSafeInteger(senders) || senders < 2) throw new Error(`accounts must be at least 2, got ${senders}`);
  const rand = seededRandom(seed);
  const from = new Int32Array(txs);
  const to = new Int32Array(txs);
  const round = new Int32Array(txs);
  const hotIndex = senders;
  // A fixed random order of senders per run, so the hot/transfer mix does not follow account index.
  const order = Int32Array.from({ length: senders }, (_, i) => i);
  for (let i = senders - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 0; i < txs; i++) {
    const sender = order[i % senders]!;
    from[i] = sender;
    round[i] = Math.floor(i / senders);
    const toHot = workload === 'hot' || (workload === 'mixed' && rand() < 0.5);
    if (toHot) {
      to[i] = hotIndex;
    } else {
      let other = Math.floor(rand() * (senders - 1));
      if (other >= sender) other += 1; // never to itself
      to[i] = other;
    }
  }
  return { workload, senders, hotIndex, from, to, round };
}
