/**
 * A proposal's tally as the bars show it, by the chain's rules: turnout is all votes over the
 * eligible power (against quorum); yes is yes over yes+no+veto (against threshold); veto is veto
 * over all votes (against the veto threshold). Shares are for display only.
 */
export interface TallyCounts {
  yesCount: string;
  abstainCount: string;
  noCount: string;
  noWithVetoCount: string;
}

export interface TallyBars {
  turnout: number;
  yes: number;
  no: number;
  veto: number;
  abstain: number;
  total: bigint;
}

const share = (part: bigint, whole: bigint) => (whole > 0n ? Number((part * 1_000_000n) / whole) / 1_000_000 : 0);

export function tallyBars(t: TallyCounts, eligible: bigint): TallyBars {
  const yes = BigInt(t.yesCount || '0');
  const no = BigInt(t.noCount || '0');
  const veto = BigInt(t.noWithVetoCount || '0');
  const abstain = BigInt(t.abstainCount || '0');
  const total = yes + no + veto + abstain;
  const decisive = yes + no + veto;
  return {
    turnout: share(total, eligible),
    yes: share(yes, decisive),
    no: share(no, decisive),
    veto: share(veto, total),
    abstain: share(abstain, total),
    total,
  };
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(x > 0 && x < 0.001 ? 4 : 1)}%`;
}
