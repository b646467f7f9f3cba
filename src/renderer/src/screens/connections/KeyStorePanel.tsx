// The desktop app's encrypted key store: a key goes in once, and from then on the studio only
// ever shows that it is set. Connections refer to it as store:NAME. Browser mode has no store.
import { useCallback, useEffect, useState } from 'react';
import type { StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

export function KeyStorePanel({ studio }: { studio: StudioApi }) {
  const [state, setState] = useState<{ available: boolean; names: string[] } | null>(null);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
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
      await studio.secrets.set(name, value);
      setValue(''); // the key leaves the window's state as soon as it is stored
      setName('');
      setError(null);
      await refresh();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="panel" data-testid="key-store">
      <h2>Key store</h2>
      <p className="muted">
        Keys are encrypted by your system's keychain. Refer to one in a connection as <code>store:NAME</code>.
      </p>
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
        <button type="submit" disabled={!name || !value} data-testid="save-key">
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
