import { decodeTxRaw } from '@cosmjs/proto-signing';
import { decodeAny, messageJson } from '../chain/registry.js';
import { fromBase64, rpc } from '../chain/rpc.js';
import { Empty, ErrorNote, Section } from '../ui/components.js';
import { timeText } from '../ui/format.js';
import { useLoad } from '../ui/hooks.js';
import { TxRateChart, txRates, type BlockPoint } from '../ui/TxRateChart.js';
import { ZonesSection } from './Zones.js';

interface BlockMeta {
  block_id: { hash: string };
  header: { height: string; time: string; proposer_address: string; chain_id: string };
  num_txs: string;
}

interface Status {
  node_info: { network: string; moniker: string; version: string };
  sync_info: { latest_block_height: string; latest_block_time: string; catching_up: boolean };
}

interface SearchedTx {
  hash: string;
  height: string;
  tx: string;
  tx_result: { code: number; codespace?: string; log?: string; gas_used: string };
}

const BLOCKS_SHOWN = 10;
const CHART_BLOCKS = 40;

/** The chain builder's view: blocks as they come, what is in them, who validates, which zones. */
export function ExplorerPage() {
  const status = useLoad(() => rpc<Status>('status'), [], 1000);
  const height = status.data ? Number(status.data.sync_info.latest_block_height) : 0;
  const blocks = useLoad(() => (height ? recentBlocks(height, CHART_BLOCKS) : Promise.resolve([])), [height]);
  const txs = useLoad(
    () => rpc<{ txs: SearchedTx[] }>('tx_search', { query: 'tx.height>0', order_by: 'desc', per_page: '10', page: '1' }),
    [height],
  );
  const validators = useLoad(
    () => rpc<{ validators: { address: string; voting_power: string }[] }>('validators', { per_page: '100' }),
    [],
    10_000,
  );

  const points: BlockPoint[] = (blocks.data ?? []).map((b) => ({
    height: Number(b.header.height),
    time: Date.parse(b.header.time),
    txs: Number(b.num_txs),
  }));
  const rates = txRates(points);

  return (
    <>
      <Section title="Chain" id="chain-title">
        <ErrorNote error={status.error} />
        {status.data ? (
          <dl class="facts">
            <dt>Chain id</dt>
            <dd>{status.data.node_info.network}</dd>
            <dt>Latest block</dt>
            <dd data-testid="latest-height">{height}</dd>
            <dt>Block time</dt>
            <dd>{timeText(status.data.sync_info.latest_block_time)}</dd>
            <dt>Node</dt>
            <dd>
              {status.data.node_info.moniker} · CometBFT {status.data.node_info.version}
              {status.data.sync_info.catching_up ? ' · catching up' : ''}
            </dd>
          </dl>
        ) : null}
      </Section>
      <Section title="Throughput" id="tps-title">
        <TxRateChart rates={rates} />
      </Section>
      <Section title="Latest blocks" id="blocks-title">
        <ErrorNote error={blocks.error} />
        <table class="list" data-testid="blocks">
          <thead>
            <tr>
              <th scope="col">Height</th>
              <th scope="col">Time</th>
              <th scope="col">Txs</th>
              <th scope="col" class="wide">
                Hash
              </th>
            </tr>
          </thead>
          <tbody>
            {(blocks.data ?? []).slice(0, BLOCKS_SHOWN).map((b) => (
              <tr>
                <td>{b.header.height}</td>
                <td>{timeText(b.header.time).slice(11, 19)}</td>
                <td>{b.num_txs}</td>
                <td class="wide">
                  <code>{b.block_id.hash.slice(0, 16)}…</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Latest transactions" id="txs-title">
        <ErrorNote error={txs.error} />
        {txs.data && txs.data.txs.length === 0 ? <Empty>No transactions yet.</Empty> : null}
        <ul class="txs" data-testid="txs">
          {(txs.data?.txs ?? []).map((t) => (
            <TxItem tx={t} />
          ))}
        </ul>
      </Section>
      <Section title="Validators" id="validators-title">
        <ErrorNote error={validators.error} />
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Voting power</th>
            </tr>
          </thead>
          <tbody>
            {(validators.data?.validators ?? []).map((v) => (
              <tr>
                <td>
                  <code>{v.address}</code>
                </td>
                <td>{v.voting_power}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <ZonesSection />
    </>
  );
}

async function recentBlocks(height: number, count: number): Promise<BlockMeta[]> {
  const metas: BlockMeta[] = [];
  // `blockchain` answers at most 20 metas per call, newest first.
  for (let max = height; max >= 1 && metas.length < count; max -= 20) {
    const { block_metas } = await rpc<{ block_metas: BlockMeta[] }>('blockchain', {
      minHeight: String(Math.max(1, max - 19)),
      maxHeight: String(max),
    });
    metas.push(...block_metas);
  }
  return metas.slice(0, count);
}

function TxItem({ tx }: { tx: SearchedTx }) {
  let messages: { typeUrl: string; json?: string }[] = [];
  let memo = '';
  try {
    const decoded = decodeTxRaw(fromBase64(tx.tx));
    memo = decoded.body.memo;
    messages = decoded.body.messages.map((m) => {
      const value = decodeAny(m);
      return { typeUrl: m.typeUrl, json: value ? messageJson(value) : undefined };
    });
  } catch {
    messages = [{ typeUrl: '(undecodable tx)' }];
  }
  const ok = tx.tx_result.code === 0;
  return (
    <li>
      <details>
        <summary>
          <span class={ok ? 'tag ok' : 'tag bad'}>{ok ? 'ok' : `code ${tx.tx_result.code}`}</span> block {tx.height} ·{' '}
          {messages.map((m) => m.typeUrl.split('.').pop()).join(', ')} · <code>{tx.hash.slice(0, 10)}…</code>
        </summary>
        {!ok ? <p class="error">{tx.tx_result.log}</p> : null}
        {memo ? <p>memo: {memo}</p> : null}
        {messages.map((m) => (
          <>
            <p>
              <code>{m.typeUrl}</code>
            </p>
            {m.json ? <pre>{m.json}</pre> : null}
          </>
        ))}
      </details>
    </li>
  );
}
