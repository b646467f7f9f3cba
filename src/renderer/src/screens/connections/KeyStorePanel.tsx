// The desktop app's encrypted key store: a key goes in once, and from then on the studio only
// ever shows that it is set. Connections refer to it as store:NAME. Browser mode has no store.
// Where the system offers no keychain (Linux's plain-text 'basic_text' store) the panel says so,
// and a key is stored only with the user's "store anyway", given for that key.
import { useCallback, useEffect, useState } from 'react';
import type { KeyStoreState, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

export function KeyStorePanel({ studio }: { studio: StudioApi }) {
  const [state, setState] = useState<KeyStoreState | null>(null);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [acceptWeak, setAcceptWeak] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Stable per studio, so the effect below loads the list once per studio, not on every render.
  const refresh = useCallback(
    () =>
      studio.secrets
        .list()
        .then(setState)
        .catch((e: unknown) => setError(errorMessage(e))),
    [studio],
  );
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const remove = async (keyName: string) => {
    try {
      await studio.secrets.remove(keyName);
      setError(null);
      await refresh();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (!state?.available) return null;
  const save = async () => {
    try {
      await studio.secrets.set(name, value, state.weak ? { acceptWeakStorage: acceptWeak } : undefined);
      setValue(''); // the key leaves the window's state as soon as it is stored
      setName('');
      setAcceptWeak(false); // asked again for the next key
      setError(null);
      await refresh();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="panel" data-testid="key-store">
      <h2>Key store</h2>
      {state.weak ? (
        <div className="alert" role="alert" data-testid="weak-key-store">
          <strong>No keychain found.</strong> This system offers only Electron's plain-text key store (
          <code>{state.backend}</code>): anyone who can read your user folder can read a key stored here. Install and
          unlock a keychain (GNOME Keyring, KWallet) and restart, or use an environment variable (<code>env:NAME</code>)
          in the connection instead. A stored key is referred to as <code>store:NAME</code>.
        </div>
      ) : (
        <p className="muted">
          Keys are encrypted by your system's keychain. Refer to one in a connection as <code>store:NAME</code>.
        </p>
      )}
      <ul>
        {state.names.map((n) => (
          <li key={n}>
            <code>{n}</code> — set{' '}
            <button type="button" onClick={() => void remove(n)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <input
          aria-label="Key name"
          placeholder="OPENAI_API_KEY"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="key-name"
        />
        <input
          aria-label="Key"
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          data-testid="key-value"
        />
        {state.weak && (
          <label>
            <input
              type="checkbox"
              checked={acceptWeak}
              onChange={(e) => setAcceptWeak(e.target.checked)}
              data-testid="accept-weak-key-store"
            />{' '}
            Store anyway, unencrypted
          </label>
        )}
        <button type="submit" disabled={!name || !value || (state.weak && !acceptWeak)} data-testid="save-key">
          Save key
        </button>
      </form>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
    </section>
  );
}
