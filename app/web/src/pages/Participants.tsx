import { useEffect, useState } from 'preact/hooks';
import type { Shipment, Unit } from '../../../../generated/parazone/drugregistry/v1/types.js';
import { heldCases, type HeldCase } from '../chain/cases.js';
import { drugQuery, PAGE } from '../chain/queries.js';
import { useSend } from '../ui/actions.js';
import { Empty, ErrorNote, KeyPanel, Section, Who } from '../ui/components.js';
import { timeText } from '../ui/format.js';
import { useLoad, useStore } from '../ui/hooks.js';
import { Outcome } from '../ui/Outcome.js';
import { useParticipants } from '../ui/participants.js';
import { connectedKey } from '../ui/session.js';

const T = '/parazone.drugregistry.v1.';
const SUSPECT_CATEGORIES = [
  'COUNTERFEIT',
  'DIVERTED',
  'STOLEN',
  'ADULTERATED',
  'FRAUDULENT_TRANSACTION',
  'UNFIT',
  'VERIFICATION_FAILURE',
  'OTHER',
];
const REFRESH_MS = 3000;
const unitKey = (u: { gtin: string; serial: string }) => `${u.gtin}|${u.serial}`;

/** A participant's stock and shipments; with its key connected, its day's work. */
export function ParticipantsPage() {
  const participants = useParticipants();
  const key = useStore(connectedKey);
  const trading = participants.filter((p) => p.roles.some((r) => r !== 'REGULATOR'));
  const [selected, setSelected] = useState('');
  useEffect(() => {
    if (key && participants.some((p) => p.address === key.address)) setSelected(key.address);
    else if (!selected && trading[0]) setSelected(trading[0].address);
  }, [key, participants.length]);

  const holder = selected;
  const data = useLoad(
    async () => {
      if (!holder) return undefined;
      const [inventory, incoming, outgoing, recalled] = await Promise.all([
        drugQuery.inventory({ holder, pagination: { ...PAGE } as never }),
        drugQuery.shipments({ participant: holder, direction: 'IN', pagination: { ...PAGE } as never }),
        drugQuery.shipments({ participant: holder, direction: 'OUT', pagination: { ...PAGE } as never }),
        drugQuery.recalledInventory({ holder, pagination: { ...PAGE } as never }),
      ]);
      const cases = await heldCases(inventory.units);
      return { units: inventory.units, cases, incoming: incoming.shipments, outgoing: outgoing.shipments, recalled: recalled.units };
    },
    [holder],
    REFRESH_MS,
  );
  const me = participants.find((p) => p.address === holder);
  const signing = key && key.address === holder ? key : undefined;

  return (
    <>
      <KeyPanel />
      <Section title="Participant" id="participant-title">
        <label for="participant">Show</label>
        <select id="participant" value={selected} onChange={(e) => setSelected((e.target as HTMLSelectElement).value)}>
          {participants.map((p) => (
            <option value={p.address}>
              {p.name || p.address} ({p.roles.join(', ').toLowerCase()})
            </option>
          ))}
        </select>
        {me ? (
          <p class="muted">
            {me.status.toLowerCase()} · GLN {me.gln || '—'} · <code>{me.address}</code>
          </p>
        ) : null}
        {key && !signing ? <p class="hint">The connected key is not this participant: connect its key to act for it.</p> : null}
        <ErrorNote error={data.error} />
      </Section>
      {data.data ? (
        <>
          <Inventory
            units={data.data.units}
            cases={data.data.cases}
            signing={signing}
            isDispenser={!!me?.roles.includes('DISPENSER')}
            reload={data.reload}
          />
          <Shipments title="Incoming shipments" id="incoming" shipments={data.data.incoming} signing={signing} reload={data.reload} />
          <Shipments title="Outgoing shipments" id="outgoing" shipments={data.data.outgoing} reload={data.reload} />
          <Section title="Recalls affecting stock" id="recalled-title">
            {data.data.recalled.length === 0 ? (
              <Empty>No pack held here is recalled or withdrawn.</Empty>
            ) : (
              <ul data-testid="recalled">
                {data.data.recalled.map((u) => (
                  <li>
                    {u.serial} (batch {u.lot}) is recalled: quarantine it and return it as the recall instructs.
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </>
      ) : null}
    </>
  );
}

function Inventory(props: {
  units: Unit[];
  cases: HeldCase[];
  signing?: ReturnType<typeof connectedKey.get>;
  isDispenser: boolean;
  reload: () => void;
}) {
  const participants = useParticipants();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [chosenCases, setChosenCases] = useState<Set<string>>(new Set());
  const [to, setTo] = useState('');
  const [category, setCategory] = useState('COUNTERFEIT');
  const { busy, outcome, send } = useSend(() => {
    setChosen(new Set());
    setChosenCases(new Set());
    props.reload();
  });
  const { signing } = props;
  const units = props.units.filter((u) => chosen.has(unitKey(u))).map((u) => ({ gtin: u.gtin, serial: u.serial }));
  const recipients = participants.filter((p) => p.address !== signing?.address && p.roles.some((r) => r !== 'REGULATOR'));
  const containers = props.cases.filter((c) => chosenCases.has(c.container.sscc)).map((c) => c.container.sscc);
  const casePacks = props.cases.filter((c) => chosenCases.has(c.container.sscc)).reduce((n, c) => n + c.packs, 0);
  const toggleIn = (set: typeof setChosen) => (k: string) =>
    set((s) => (s.has(k) ? new Set([...s].filter((x) => x !== k)) : new Set([...s, k])));
  const toggle = toggleIn(setChosen);
  const toggleCase = toggleIn(setChosenCases);

  return (
    <Section title={`Inventory (${props.units.length})`} id="inventory-title">
      {props.units.length === 0 ? <Empty>Nothing in stock.</Empty> : null}
      <ul class="checks" data-testid="inventory">
        {props.units.map((u) => {
          const k = unitKey(u);
          const line = (
            <>
              <code>{u.serial}</code> · batch {u.lot} · {u.status.toLowerCase().replace('_', ' ')}
              {u.parent ? ` · in case ${u.parent}` : ''}
            </>
          );
          return (
            <li>
              {signing ? (
                <label>
                  <input
                    type="checkbox"
                    checked={chosen.has(k)}
                    disabled={u.status !== 'ACTIVE' || !!u.parent}
                    onChange={() => toggle(k)}
                  />{' '}
                  {line}
                </label>
              ) : (
                line
              )}
            </li>
          );
        })}
      </ul>
      {props.cases.length > 0 ? (
        <>
          <h3>Cases</h3>
          <ul class="checks" data-testid="cases">
            {props.cases.map(({ container, packs }) => {
              const line = (
                <>
                  case <code>{container.sscc}</code> · {packs} pack(s) · {container.status.toLowerCase().replace('_', ' ')}
                </>
              );
              return (
                <li>
                  {signing ? (
                    <label>
                      <input
                        type="checkbox"
                        checked={chosenCases.has(container.sscc)}
                        disabled={container.status !== 'SEALED'}
                        onChange={() => toggleCase(container.sscc)}
                      />{' '}
                      {line}
                    </label>
                  ) : (
                    line
                  )}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {signing && props.units.length > 0 ? (
        <div class="actions">
          <h3>
            With the {units.length} pack(s){containers.length ? ` and ${containers.length} case(s) (${casePacks} packs)` : ''} selected
          </h3>
          <div class="row">
            <label>
              <span>Ship to</span>
              <select aria-label="ship to" value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
                <option value="">choose a recipient…</option>
                {recipients.map((p) => (
                  <option value={p.address}>{p.name || p.address}</option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={busy || !to || units.length + containers.length === 0}
              onClick={() =>
                void send(signing, 'Ship', [
                  {
                    typeUrl: `${T}MsgShip`,
                    value: { signer: signing.address, to, purpose: 'SALE', units, containers, tiHash: '', shipDate: '' },
                  },
                ])
              }
            >
              Ship
            </button>
          </div>
          <div class="row">
            {props.isDispenser ? (
              <button
                type="button"
                disabled={busy || units.length === 0}
                onClick={() =>
                  void send(signing, 'Dispense', [{ typeUrl: `${T}MsgDispense`, value: { signer: signing.address, units, rxRefHash: '' } }])
                }
              >
                Dispense
              </button>
            ) : null}
          </div>
          <div class="row">
            <label>
              <span>Suspect because</span>
              <select aria-label="suspect category" value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)}>
                {SUSPECT_CATEGORIES.map((c) => (
                  <option value={c}>{c.toLowerCase().replace(/_/g, ' ')}</option>
                ))}
              </select>
            </label>
            <button
              type="button"
              class="secondary"
              disabled={busy || units.length === 0}
              onClick={() =>
                void send(signing, 'Report suspect', [
                  {
                    typeUrl: `${T}MsgReportSuspect`,
                    value: { signer: signing.address, units, containers: [], unknownIdentifiers: [], category, evidenceHash: '' },
                  },
                ])
              }
            >
              Report suspect
            </button>
          </div>
          <Outcome outcome={outcome} />
        </div>
      ) : null}
    </Section>
  );
}

function Shipments(props: {
  title: string;
  id: string;
  shipments: Shipment[];
  signing?: ReturnType<typeof connectedKey.get>;
  reload: () => void;
}) {
  const { busy, outcome, send } = useSend(props.reload);
  const { signing } = props;
  const newest = [...props.shipments].reverse();
  return (
    <Section title={`${props.title} (${props.shipments.length})`} id={`${props.id}-title`}>
      {newest.length === 0 ? <Empty>None.</Empty> : null}
      <ul class="txs" data-testid={props.id}>
        {newest.map((s) => (
          <li>
            <strong>#{s.id.split('-').pop()}</strong>{' '}
            <span class={s.status === 'IN_TRANSIT' ? 'tag warn' : 'tag'}>{s.status.toLowerCase().replace('_', ' ')}</span>{' '}
            <Who address={s.from} /> → <Who address={s.to} /> · {String(s.totalUnits)} pack(s) · {s.purpose.toLowerCase()} ·{' '}
            {timeText(s.createdAt)}
            {signing && s.status === 'IN_TRANSIT' && s.to === signing.address ? (
              <div>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void send(signing, 'Receive', [{ typeUrl: `${T}MsgReceive`, value: { signer: signing.address, shipmentId: s.id } }])
                  }
                >
                  Receive
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <Outcome outcome={outcome} />
    </Section>
  );
}
