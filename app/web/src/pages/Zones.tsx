import { clientConfig } from '../chain/config.js';
import { OWN_RPC } from '../chain/rpc.js';
import { loadZone, type ZoneView } from '../chain/zones.js';
import { Empty, ErrorNote, Section } from '../ui/components.js';
import { errorText, shortAddress } from '../ui/format.js';
import { useLoad } from '../ui/hooks.js';

const REFRESH_MS = 2000;

/**
 * Every zone this node knows (itself and the ones app.toml `[web] zone_rpcs` names), each read
 * from its own RPC: its height, the zones its clients follow, and its packets in flight.
 */
export function ZonesSection() {
  const zones = useLoad(
    async () => {
      const config = await clientConfig();
      const at = [OWN_RPC, ...(config.zones ?? [])];
      // One zone that does not answer must not hide the others.
      return Promise.all(
        at.map((a) =>
          loadZone(a).then(
            (view): ZoneView | { at: string; error: string } => view,
            (err: unknown) => ({ at: a, error: errorText(err) }),
          ),
        ),
      );
    },
    [],
    REFRESH_MS,
  );
  const single = zones.data?.length === 1 && 'clients' in zones.data[0]! && zones.data[0].clients.length === 0;
  return (
    <Section title="Zones" id="zones-title">
      <ErrorNote error={zones.error} />
      {single ? <Empty>This chain has no IBC clients: it runs as a single zone.</Empty> : null}
      {zones.data && !single ? (
        <div class="zones" data-testid="zones">
          {zones.data.map((zone) => ('error' in zone ? <ErrorNote error={`${zone.at}: ${zone.error}`} /> : <Zone zone={zone} />))}
        </div>
      ) : null}
    </Section>
  );
}

function Zone({ zone }: { zone: ZoneView }) {
  return (
    <article class="zone" data-testid={`zone-${zone.chainId}`} aria-label={`zone ${zone.chainId}`}>
      <h3>
        {zone.chainId} {zone.at === OWN_RPC ? <span class="tag">this node</span> : null}
      </h3>
      <p class="muted">
        height <span data-testid="zone-height">{zone.height}</span> · {zone.clients.length} client(s)
      </p>
      {zone.clients.length === 0 ? <Empty>No IBC clients yet.</Empty> : null}
      {zone.clients.map(({ client, inFlight, packets }) => (
        <div class="client" data-testid={`client-${client.clientId}`}>
          <p>
            <code>{client.clientId}</code> follows <strong>{client.chainId}</strong> at height {String(client.latestRevisionHeight)}
            {client.frozen ? <span class="tag bad">frozen</span> : null}
            {client.counterpartyClientId ? (
              <>
                {' '}
                · its client there <code>{client.counterpartyClientId}</code>
              </>
            ) : null}
          </p>
          <p>
            <span
              class={inFlight ? 'tag warn' : 'tag'}
              data-testid="in-flight"
              title={`packets sent to ${client.chainId} not yet acknowledged`}
            >
              {inFlight} in flight
            </span>
          </p>
          {packets.length > 0 ? (
            <ul class="txs" data-testid="packets">
              {packets.map((p) => (
                <li data-sequence={p.sequence} data-state={p.state}>
                  #{p.sequence}{' '}
                  <span class={p.state === 'in flight' ? 'tag warn' : p.state === 'acknowledged' ? 'tag ok' : 'tag bad'}>{p.state}</span>{' '}
                  {summaryText(p.summary)}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
    </article>
  );
}

/** Long bech32 receivers shortened so a packet line fits a phone. */
function summaryText(summary: string): string {
  return summary.replace(/\b[a-z]+1[02-9ac-hj-np-z]{30,}\b/g, (address) => shortAddress(address));
}
