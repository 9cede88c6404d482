import type { TxOutcome } from './actions.js';

export function Outcome({ outcome }: { outcome?: TxOutcome }) {
  if (!outcome) return null;
  return (
    <p class={outcome.ok ? 'success' : 'error'} role="status" data-testid="tx-outcome">
      {outcome.text}
    </p>
  );
}
