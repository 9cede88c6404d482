import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { clientConfig, devnetKeys, type ClientConfig } from '../chain/config.js';
import { connectMnemonic } from '../chain/signer.js';
import { errorText, shortAddress } from './format.js';
import { useLoad, useStore } from './hooks.js';
import { nameOf, useParticipants } from './participants.js';
import { connectedKey } from './session.js';

export function Section(props: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

export function ErrorNote(props: { error?: string }) {
  return props.error ? (
    <p class="error" role="alert">
      {props.error}
    </p>
  ) : null;
}

/** An address shown by its participant name where it has one; the full address on hover. */
export function Who(props: { address: string }) {
  const participants = useParticipants();
  const name = nameOf(participants, props.address);
  if (!props.address) return <span class="muted">—</span>;
  return (
    <span class="who" title={props.address}>
      {name ?? shortAddress(props.address)}
    </span>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="muted">{props.children}</p>;
}

/**
 * Connect a key to sign in this tab: a mnemonic, or on a demo localnet one of its devnet keys
 * (whose mnemonics are public, so they are worthless anywhere else).
 */
export function KeyPanel() {
  const key = useStore(connectedKey);
  const config = useLoad<ClientConfig>(clientConfig, []);
  const [mnemonic, setMnemonic] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const devnet = config.data ? devnetKeys(config.data) : {};

  const connect = async (name: string, words: string) => {
    setBusy(true);
    setError(undefined);
    try {
      connectedKey.get()?.disconnect();
      connectedKey.set(await connectMnemonic(name, words));
      setMnemonic('');
    } catch (err) {
      setError(`Could not connect the key: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  };

  if (key) {
    return (
      <div class="keybar" data-testid="connected-key">
        <span>
          Signing as <strong>{key.name}</strong> <code title={key.address}>{shortAddress(key.address)}</code>
        </span>
        <button type="button" class="secondary" onClick={() => (key.disconnect(), connectedKey.set(undefined))}>
          Disconnect
        </button>
      </div>
    );
  }
  return (
    <div class="keybar">
      {Object.keys(devnet).length > 0 ? (
        <label class="devnet">
          <span>
            Devnet key <span class="tag warn">devnet only: public mnemonics</span>
          </span>
          <select
            aria-label="devnet key"
            disabled={busy}
            onChange={(e) => {
              const name = (e.target as HTMLSelectElement).value;
              if (name) void connect(name, devnet[name]!.mnemonic);
            }}
          >
            <option value="">choose a demo key…</option>
            {Object.entries(devnet).map(([name, k]) => (
              <option value={name}>
                {name} ({shortAddress(k.address)})
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (mnemonic.trim()) void connect('your key', mnemonic);
        }}
      >
        <label>
          <span>Mnemonic</span>
          <input
            type="password"
            autocomplete="off"
            value={mnemonic}
            onInput={(e) => setMnemonic((e.target as HTMLInputElement).value)}
            placeholder="12 or 24 words"
          />
        </label>
        <button type="submit" disabled={busy || !mnemonic.trim()}>
          Connect
        </button>
      </form>
      <ErrorNote error={error} />
    </div>
  );
}
