/** Sending a tx from a page: busy flag, the outcome worded for a person, a reload afterwards. */
import type { EncodeObject } from '@cosmjs/proto-signing';
import { useState } from 'preact/hooks';
import { txErrorText, type ConnectedKey } from '../chain/signer.js';

export interface TxOutcome {
  readonly ok: boolean;
  readonly text: string;
}

export function useSend(after: () => void) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<TxOutcome>();
  const send = async (key: ConnectedKey, what: string, messages: EncodeObject[]) => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const result = await key.send(messages);
      setOutcome({ ok: true, text: `${what}: done in block ${result.height} (tx ${result.transactionHash.slice(0, 12)}…)` });
      after();
    } catch (err) {
      setOutcome({ ok: false, text: `${what}: ${txErrorText(err)}` });
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, send };
}
