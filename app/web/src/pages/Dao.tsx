import { useState } from 'preact/hooks';
import type { Proposal } from '../../../../generated/parazone/governance/v1/gov.js';
import { ProposalStatus, VoteOption } from '../../../../generated/parazone/governance/v1/gov.js';
import { bankQuery, drugQuery, govQuery, PAGE } from '../chain/queries.js';
import { decodeAny, messageJson } from '../chain/registry.js';
import { useSend } from '../ui/actions.js';
import { Empty, ErrorNote, KeyPanel, Section, Who } from '../ui/components.js';
import { groupDigits, timestampText, timeText } from '../ui/format.js';
import { useLoad, useStore } from '../ui/hooks.js';
import { Outcome } from '../ui/Outcome.js';
import { connectedKey } from '../ui/session.js';
import { percent, tallyBars, type TallyCounts } from '../ui/tally.js';

const REFRESH_MS = 2000;
const CLASSIFICATIONS = ['I', 'II', 'III', 'UNCLASSIFIED'];

/** The regulator's and the DAO's page: recalls, investigations, proposals and votes. */
export function DaoPage() {
  const registry = useLoad(
    async () => {
      const [recalls, investigations] = await Promise.all([
        drugQuery.recalls({ pagination: { ...PAGE } as never }),
        drugQuery.investigations({ pagination: { ...PAGE } as never }),
      ]);
      return { recalls: recalls.recalls, investigations: investigations.investigations };
    },
    [],
    REFRESH_MS * 2,
  );
  return (
    <>
      <KeyPanel />
      <Proposals />
      <Section title="Recalls" id="recalls-title">
        <ErrorNote error={registry.error} />
        {registry.data?.recalls.length === 0 ? <Empty>No recalls.</Empty> : null}
        <ul class="txs" data-testid="recalls">
          {registry.data?.recalls.map((r) => (
            <li>
              <strong>#{String(r.id)}</strong> <span class={r.status === 'OPEN' ? 'tag bad' : 'tag'}>{r.status.toLowerCase()}</span>{' '}
              {r.scope.toLowerCase()} {r.gtin}
              {r.lot ? ` lot ${r.lot}` : ''} · class {r.classification} · {r.reasonCode.toLowerCase().replace(/_/g, ' ')} · by{' '}
              <Who address={r.initiatedBy} /> · {timeText(r.createdAt)}
            </li>
          ))}
        </ul>
        <OpenRecall reload={registry.reload} />
      </Section>
      <Section title="Investigations" id="investigations-title">
        {registry.data?.investigations.length === 0 ? <Empty>No suspect reports.</Empty> : null}
        <ul class="txs" data-testid="investigations">
          {registry.data?.investigations.map((i) => (
            <li>
              <strong>#{String(i.id)}</strong> <span class={i.status === 'OPEN' ? 'tag warn' : 'tag'}>{i.status.toLowerCase()}</span>{' '}
              {i.category.toLowerCase().replace(/_/g, ' ')} ·{' '}
              {i.units.map((u) => u.serial).join(', ') || `${i.unknownIdentifiers.length} unknown code(s)`} · reported by{' '}
              <Who address={i.reporter} /> · {timeText(i.createdAt)}
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}

function OpenRecall({ reload }: { reload: () => void }) {
  const key = useStore(connectedKey);
  const batches = useLoad(async () => {
    const { products } = await drugQuery.products({ pagination: { ...PAGE } as never });
    return products;
  }, []);
  const [gtin, setGtin] = useState('');
  const [lot, setLot] = useState('');
  const [classification, setClassification] = useState('II');
  const [reason, setReason] = useState('');
  const { busy, outcome, send } = useSend(reload);
  if (!key) return <p class="hint">Connect a regulator's or the manufacturer's key to open a recall.</p>;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void send(key, 'Open recall', [
          {
            typeUrl: '/parazone.drugregistry.v1.MsgInitiateRecall',
            value: {
              signer: key.address,
              scope: lot ? 'BATCH' : 'PRODUCT',
              gtin,
              lot,
              classification,
              reasonCode: reason.trim().toUpperCase().replace(/\s+/g, '_'),
              detailsHash: '',
            },
          },
        ]);
      }}
    >
      <h3>Open a recall</h3>
      <div class="row">
        <label>
          <span>Product</span>
          <select value={gtin} onChange={(e) => setGtin((e.target as HTMLSelectElement).value)} required>
            <option value="">choose…</option>
            {(batches.data ?? []).map((p) => (
              <option value={p.gtin}>
                {p.name} {p.strength} ({p.gtin})
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Batch (empty: the whole product)</span>
          <input value={lot} onInput={(e) => setLot((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          <span>Class</span>
          <select value={classification} onChange={(e) => setClassification((e.target as HTMLSelectElement).value)}>
            {CLASSIFICATIONS.map((c) => (
              <option value={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Reason</span>
          <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} placeholder="contamination" required />
        </label>
      </div>
      <button type="submit" disabled={busy || !gtin || !reason.trim()}>
        Open recall
      </button>
      <Outcome outcome={outcome} />
    </form>
  );
}

function Proposals() {
  const data = useLoad(
    async () => {
      const [{ proposals }, { params }] = await Promise.all([govQuery.proposals({ pagination: { ...PAGE } as never }), govQuery.params()]);
      const denom = params?.govDenom ?? '';
      const supply = await bankQuery.supplyOf({ denom });
      const live = await Promise.all(
        proposals.map(async (p) =>
          p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD
            ? (await govQuery.tally({ proposalId: p.id })).tally
            : p.finalTallyResult,
        ),
      );
      return {
        proposals: proposals.map((p, i) => ({ proposal: p, tally: live[i] })).reverse(),
        params,
        eligible: BigInt(supply.amount?.amount ?? '0'),
      };
    },
    [],
    REFRESH_MS,
  );
  return (
    <Section title="DAO proposals" id="proposals-title">
      <ErrorNote error={data.error} />
      {data.data?.proposals.length === 0 ? <Empty>No proposals yet.</Empty> : null}
      {data.data?.proposals.map(({ proposal, tally }) => (
        <ProposalCard proposal={proposal} tally={tally} eligible={data.data!.eligible} rules={data.data!.params} reload={data.reload} />
      ))}
    </Section>
  );
}

const STATUS_WORDS: Record<number, string> = {
  [ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD]: 'deposit period',
  [ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD]: 'voting',
  [ProposalStatus.PROPOSAL_STATUS_PASSED]: 'passed',
  [ProposalStatus.PROPOSAL_STATUS_REJECTED]: 'rejected',
  [ProposalStatus.PROPOSAL_STATUS_FAILED]: 'failed',
  [ProposalStatus.PROPOSAL_STATUS_DROPPED]: 'dropped',
  [ProposalStatus.PROPOSAL_STATUS_CANCELED]: 'canceled',
};

const VOTES: [VoteOption, string][] = [
  [VoteOption.VOTE_OPTION_YES, 'Yes'],
  [VoteOption.VOTE_OPTION_NO, 'No'],
  [VoteOption.VOTE_OPTION_ABSTAIN, 'Abstain'],
  [VoteOption.VOTE_OPTION_NO_WITH_VETO, 'No with veto'],
];

function ProposalCard(props: {
  proposal: Proposal;
  tally?: TallyCounts;
  eligible: bigint;
  rules?: { quorum: string; threshold: string; vetoThreshold: string; govDenom: string };
  reload: () => void;
}) {
  const { proposal, rules } = props;
  const key = useStore(connectedKey);
  const { busy, outcome, send } = useSend(props.reload);
  const tally = props.tally ?? { yesCount: '0', noCount: '0', noWithVetoCount: '0', abstainCount: '0' };
  const bars = tallyBars(tally, props.eligible);
  const voting = proposal.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
  return (
    <article class="proposal" data-testid={`proposal-${proposal.id}`}>
      <h3>
        #{String(proposal.id)} {proposal.title}{' '}
        <span class={voting ? 'tag warn' : 'tag'}>{STATUS_WORDS[proposal.status] ?? 'unknown'}</span>
      </h3>
      <p>{proposal.summary}</p>
      <p class="muted">
        by <Who address={proposal.proposer} /> · voting ends {timestampText(proposal.votingEndTime) || '—'}
        {proposal.failedReason ? ` · ${proposal.failedReason}` : ''}
      </p>
      <div class="tally" role="group" aria-label="tally">
        <Bar label="Turnout" value={bars.turnout} mark={Number(rules?.quorum ?? 0)} markLabel="quorum" fill="turnout" />
        <Bar label="Yes" value={bars.yes} mark={Number(rules?.threshold ?? 0)} markLabel="threshold" fill="yes" />
        <Bar label="No" value={bars.no} fill="no" />
        <Bar label="Veto" value={bars.veto} mark={Number(rules?.vetoThreshold ?? 0)} markLabel="veto threshold" fill="veto" />
        <Bar label="Abstain" value={bars.abstain} fill="abstain" />
      </div>
      <p class="muted">
        yes <span data-testid="yes-count">{groupDigits(tally.yesCount)}</span> · no {groupDigits(tally.noCount)} · veto{' '}
        {groupDigits(tally.noWithVetoCount)} · abstain {groupDigits(tally.abstainCount)} of {groupDigits(props.eligible)} {rules?.govDenom}{' '}
        eligible
      </p>
      <details>
        <summary>{proposal.messages.length} message(s)</summary>
        {proposal.messages.map((m) => {
          const decoded = decodeAny(m);
          return (
            <>
              <p>
                <code>{m.typeUrl}</code>
              </p>
              {decoded ? <pre>{messageJson(decoded)}</pre> : <p class="muted">(not decodable here)</p>}
            </>
          );
        })}
      </details>
      {voting && key ? (
        <div class="row votes">
          {VOTES.map(([option, label]) => (
            <button
              type="button"
              class={option === VoteOption.VOTE_OPTION_YES ? '' : 'secondary'}
              disabled={busy}
              onClick={() =>
                void send(key, `Vote ${label}`, [
                  {
                    typeUrl: '/parazone.governance.v1.MsgVote',
                    value: { proposalId: proposal.id, voter: key.address, option, metadata: '' },
                  },
                ])
              }
            >
              Vote {label}
            </button>
          ))}
        </div>
      ) : null}
      {voting && !key ? <p class="hint">Connect a key to vote.</p> : null}
      <Outcome outcome={outcome} />
    </article>
  );
}

function Bar(props: { label: string; value: number; mark?: number; markLabel?: string; fill: string }) {
  return (
    <div class="tally-row">
      <span>{props.label}</span>
      <div
        class="tally-track"
        role="meter"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(props.value * 100)}
      >
        <div class={`tally-fill fill-${props.fill}`} style={{ width: `${Math.min(100, props.value * 100)}%` }} />
        {props.mark ? (
          <div class="tally-mark" style={{ left: `${props.mark * 100}%` }} title={`${props.markLabel} ${percent(props.mark)}`} />
        ) : null}
      </div>
      <span>
        {percent(props.value)}
        {props.mark ? <span class="muted"> / {percent(props.mark)}</span> : null}
      </span>
    </div>
  );
}
