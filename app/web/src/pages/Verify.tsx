import { useState } from 'preact/hooks';
import type { QueryVerifyResponse } from '../../../../generated/parazone/drugregistry/v1/query.js';
import type { Product, Recall, UnitEvent } from '../../../../generated/parazone/drugregistry/v1/types.js';
import { drugQuery, PAGE } from '../chain/queries.js';
import { readScan } from '../verify/scan-input.js';
import { Scanner } from '../verify/Scanner.js';
import { verdictOf } from '../verify/verdict.js';
import { Empty, ErrorNote, Section, Who } from '../ui/components.js';
import { errorText, timeText } from '../ui/format.js';

interface Checked {
  answer: QueryVerifyResponse;
  product?: Product;
  events: UnitEvent[];
  recalls: Recall[];
}

/** The pharmacist's and the patient's page: one code in, one plain answer out. */
export function VerifyPage() {
  const [code, setCode] = useState('');
  const [checked, setChecked] = useState<Checked>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const verify = async (text: string) => {
    setChecked(undefined);
    setError(undefined);
    const scan = readScan(text);
    if (!scan.ok) return setError(scan.error);
    setBusy(true);
    try {
      const answer = await drugQuery.verify({ elementString: scan.elementString });
      const { gtin, serial } = answer;
      const [product, history] = answer.found
        ? await Promise.all([
            drugQuery.product({ gtin }).then(
              (r) => r.product,
              () => undefined,
            ),
            drugQuery.unitHistory({ gtin, serial, pagination: { ...PAGE } as never }),
          ])
        : [undefined, { events: [], recalls: [] }];
      setChecked({ answer, product, events: history.events, recalls: history.recalls });
    } catch (err) {
      setError(`The registry could not answer: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Section title="Verify a pack" id="verify-title">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void verify(code);
          }}
        >
          <label for="code">Code on the pack (scan the DataMatrix, or type what is printed under it)</label>
          <textarea
            id="code"
            name="code"
            rows={2}
            spellcheck={false}
            autocapitalize="off"
            value={code}
            onInput={(e) => setCode((e.target as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void verify(code);
              }
            }}
            placeholder="(01)00312345678906(21)SN1(10)LOADGEN1(17)271231"
          />
          <p class="hint">
            Both forms work: the bracketed text <code>(01)…(21)…(10)…(17)…</code>, or the scanner's raw string (<code>]d2</code> prefix,
            separators typed as <code>&lt;GS&gt;</code>).
          </p>
          <button type="submit" disabled={busy}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
        </form>
        <Scanner
          onCode={(scanned) => {
            setCode(scanned);
            void verify(scanned);
          }}
        />
        <ErrorNote error={error} />
      </Section>
      {checked ? <Result checked={checked} /> : null}
    </>
  );
}

function Result({ checked }: { checked: Checked }) {
  const { answer, product, events, recalls } = checked;
  const verdict = verdictOf(answer);
  return (
    <>
      <section class={`card verdict verdict-${verdict.kind}`} aria-live="polite" data-testid="verdict" data-kind={verdict.kind}>
        <h2>{verdict.title}</h2>
        <p>{verdict.advice}</p>
      </section>
      {answer.found ? (
        <Section title="The pack" id="pack-title">
          <dl class="facts">
            <dt>Product</dt>
            <dd>{product ? `${product.name} ${product.strength} · ${product.dosageForm} · ${product.packSize}` : answer.gtin}</dd>
            <dt>GTIN</dt>
            <dd>
              <code>{answer.gtin}</code>
            </dd>
            <dt>Serial</dt>
            <dd>
              <code>{answer.serial}</code>
            </dd>
            <dt>Batch</dt>
            <dd>{answer.lot}</dd>
            <dt>Expiry</dt>
            <dd>{answer.expiry}</dd>
            <dt>Status</dt>
            <dd>{answer.status}</dd>
            <dt>Manufacturer</dt>
            <dd>
              <Who address={answer.manufacturer} />
            </dd>
          </dl>
          {recalls.length > 0 ? (
            <ul class="recalls">
              {recalls.map((r) => (
                <li>
                  Recall #{String(r.id)}: {r.scope.toLowerCase()} {r.lot}, class {r.classification},{' '}
                  {r.reasonCode.toLowerCase().replace(/_/g, ' ')} ({r.status.toLowerCase()})
                </li>
              ))}
            </ul>
          ) : null}
        </Section>
      ) : null}
      {answer.found ? (
        <Section title="Custody history" id="history-title">
          {events.length === 0 ? <Empty>No events recorded.</Empty> : <Timeline events={events} />}
        </Section>
      ) : null}
    </>
  );
}

const EVENT_WORDS: Record<string, string> = {
  COMMISSIONED: 'Commissioned',
  PACKED: 'Packed into a case',
  UNPACKED: 'Unpacked',
  SHIPPED: 'Shipped',
  RECEIVED: 'Received',
  REJECTED: 'Shipment rejected',
  CANCELLED: 'Shipment cancelled',
  DISPENSED: 'Dispensed',
  DECOMMISSIONED: 'Decommissioned',
  UNDONE: 'Decommission undone',
  QUARANTINED: 'Quarantined (reported suspect)',
  CLEARED: 'Cleared by the regulator',
  ILLEGITIMATE: 'Found illegitimate',
};

function Timeline({ events }: { events: UnitEvent[] }) {
  return (
    <ol class="timeline" data-testid="timeline">
      {events.map((e) => (
        <li>
          <strong>{EVENT_WORDS[e.type] ?? e.type}</strong>
          <span class="muted">
            {' '}
            · {timeText(e.time)} · block {String(e.height)}
          </span>
          <div>
            {e.type === 'SHIPPED' || e.type === 'RECEIVED' ? (
              <>
                <Who address={e.from} /> → <Who address={e.to} />
              </>
            ) : (
              <>
                by <Who address={e.actor} />
              </>
            )}
            {e.container ? <span class="muted"> · case {e.container}</span> : null}
            {e.reason ? <span class="muted"> · {e.reason.toLowerCase()}</span> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
