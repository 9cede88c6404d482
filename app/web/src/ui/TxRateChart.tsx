/** A live bar chart of transactions per second, one bar per block (SVG, no chart library). */
export interface BlockPoint {
  height: number;
  /** ms since the epoch (block header time). */
  time: number;
  txs: number;
}

export interface Rate {
  height: number;
  txPerSecond: number;
}

/** Per block: its txs over the time since the block before it; oldest first. */
export function txRates(points: readonly BlockPoint[]): Rate[] {
  const sorted = [...points].sort((a, b) => a.height - b.height);
  const rates: Rate[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const seconds = Math.max(0.001, (sorted[i]!.time - sorted[i - 1]!.time) / 1000);
    rates.push({ height: sorted[i]!.height, txPerSecond: sorted[i]!.txs / seconds });
  }
  return rates;
}

const WIDTH = 320;
const HEIGHT = 100;

export function TxRateChart({ rates }: { rates: Rate[] }) {
  const peak = Math.max(1, ...rates.map((r) => r.txPerSecond));
  const bar = rates.length ? WIDTH / rates.length : WIDTH;
  const latest = rates.at(-1);
  const recent = rates.slice(-10);
  const average = recent.length ? recent.reduce((s, r) => s + r.txPerSecond, 0) / recent.length : 0;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`transactions per second over the last ${rates.length} blocks; peak ${peak.toFixed(1)}`}
        preserveAspectRatio="none"
      >
        <line x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} class="axis" />
        {rates.map((r, i) => {
          const h = (r.txPerSecond / peak) * (HEIGHT - 4);
          return (
            <rect x={i * bar + 0.5} y={HEIGHT - h} width={Math.max(1, bar - 1)} height={h} class="bar">
              <title>
                block {r.height}: {r.txPerSecond.toFixed(1)} tx/s
              </title>
            </rect>
          );
        })}
      </svg>
      <figcaption>
        <strong data-testid="tps">{average.toFixed(1)}</strong> tx/s (average of the last {recent.length} blocks) · peak {peak.toFixed(1)} ·
        latest block {latest?.height ?? '—'}
      </figcaption>
    </figure>
  );
}
