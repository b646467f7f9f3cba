// Connections: the saved backends runs name, each a plugin plus its settings. The form comes
// from the plugin's own settings schema; secrets are only ever references (env:NAME, or store:NAME in the desktop app).

import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ConnectionDto, PluginDto, StudioApi } from '../../../../shared/studioApi';
import { KeyStorePanel } from './KeyStorePanel';
import { SettingsFields } from './SettingsFields';
import { displaySetting, type FormValues, fieldError, initialValues, toSettings } from './settingsForm';

type TestResult = Awaited<ReturnType<StudioApi['connections']['test']>>;
type TestState = { pending: true } | { pending: false; result: TestResult };

const EMBEDDED_PLUGIN = 'llama-cpp';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function usable(plugin: PluginDto): boolean {
  return plugin.enabled && !plugin.error;
}

function unusableReason(plugin: PluginDto): string | null {
  if (plugin.error) return plugin.error;
  if (!plugin.enabled) return `disabled; enable it with: drpo-studio plugins enable ${plugin.id}`;
  return null;
}

function pluginLabel(plugin: PluginDto): string {
  return plugin.name && plugin.name.toLowerCase() !== plugin.id && !plugin.name.includes('(')
    ? `${plugin.name} (${plugin.id})`
    : (plugin.name ?? plugin.id);
}

interface FormState {
  /** Set when editing a saved connection (its name then stays as it was unless changed). */
  editing: string | null;
  name: string;
  /** The name the form suggested, replaced when another plugin is picked. */
  suggestedName: string;
  plugin: string;
  values: FormValues;
}

export function ConnectionsScreen({ studio }: { studio: StudioApi }) {
  const [plugins, setPlugins] = useState<PluginDto[] | null>(null);
  const [connections, setConnections] = useState<Record<string, ConnectionDto> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [pluginList, connectionList] = await Promise.all([studio.plugins.list(), studio.connections.list()]);
      setPlugins(pluginList);
      setConnections(connectionList);
      setLoadError(null);
    } catch (e) {
      setLoadError(errorMessage(e));
    }
  }, [studio]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const nameFor = (pluginId: string): string => {
    const taken = new Set(Object.keys(connections ?? {}));
    if (!taken.has(pluginId)) return pluginId;
    for (let i = 2; ; i++) if (!taken.has(`${pluginId}-${i}`)) return `${pluginId}-${i}`;
  };

  const openForm = (pluginId?: string) => {
    const preferred =
      pluginId ?? plugins?.find((p) => p.id === EMBEDDED_PLUGIN && usable(p))?.id ?? plugins?.find(usable)?.id ?? '';
    const plugin = plugins?.find((p) => p.id === preferred);
    const name = preferred ? nameFor(preferred) : '';
    setNotice(null);
    setForm({
      editing: null,
      name,
      suggestedName: name,
      plugin: preferred,
      values: initialValues(plugin?.settings ?? []),
    });
  };

  const editConnection = (name: string, connection: ConnectionDto) => {
    const plugin = plugins?.find((p) => p.id === connection.plugin);
    setNotice(null);
    setForm({
      editing: name,
      name,
      suggestedName: name,
      plugin: connection.plugin,
      values: initialValues(plugin?.settings ?? [], connection.settings),
    });
  };

  const runTest = async (name: string) => {
    setTests((t) => ({ ...t, [name]: { pending: true } }));
    let result: TestResult;
    try {
      result = await studio.connections.test(name);
    } catch (e) {
      result = { ok: false, error: errorMessage(e) };
    }
    setTests((t) => ({ ...t, [name]: { pending: false, result } }));
  };

  const remove = async (name: string) => {
    setListError(null);
    setNotice(null);
    try {
      await studio.connections.remove(name);
      setTests(({ [name]: _removed, ...rest }) => rest);
      setNotice(`Removed connection “${name}”.`);
      await refresh();
    } catch (e) {
      setListError(`Cannot remove “${name}”: ${errorMessage(e)}`);
    }
  };

  const onSaved = async (name: string) => {
    setForm(null);
    setNotice(`Saved connection “${name}”. Test it to check that the model answers.`);
    setTests(({ [name]: _stale, ...rest }) => rest);
    await refresh();
  };

  const names = connections ? Object.keys(connections).sort((a, b) => a.localeCompare(b)) : [];
  const unusable = (plugins ?? []).filter((p) => !usable(p));

  return (
    <section className="screen" data-testid="screen-connections">
      <div className="screen-header">
        <div>
          <h2>Connections</h2>
          <p>
            The models a run talks to: an embedded GGUF file, a local Ollama, OpenAI or any compatible server, vLLM.
          </p>
        </div>
        {!form && connections && names.length > 0 && (
          <button
            type="button"
            className="primary"
            data-testid="add-connection"
            onClick={() => openForm()}
            disabled={!plugins}
          >
            + Add connection
          </button>
        )}
      </div>

      {loadError && (
        <div className="alert" role="alert" data-testid="connections-error">
          <strong>Cannot reach the studio service.</strong> {loadError}{' '}
          <button type="button" className="small" onClick={() => void refresh()}>
            Retry
          </button>
        </div>
      )}
      {notice && (
        <div className="notice-ok" role="status" data-testid="connections-notice">
          {notice}
        </div>
      )}
      {listError && (
        <div className="alert" role="alert">
          {listError}
        </div>
      )}

      {form && plugins && (
        <ConnectionForm
          studio={studio}
          plugins={plugins}
          form={form}
          existing={connections ?? {}}
          nameFor={nameFor}
          onChange={setForm}
          onCancel={() => setForm(null)}
          onSaved={(name) => void onSaved(name)}
        />
      )}

      {!connections && !loadError && <p className="muted">Loading connections…</p>}

      {connections && names.length === 0 && !form && (
        <div className="empty" data-testid="connections-empty">
          <h3>No connections yet</h3>
          <p>Connect a model first. The embedded backend (llama-cpp) needs only a GGUF file path.</p>
          <div className="row" style={{ justifyContent: 'center' }}>
            <button
              type="button"
              className="primary"
              data-testid="add-llama-cpp"
              onClick={() => openForm(EMBEDDED_PLUGIN)}
              disabled={!plugins}
            >
              Add a GGUF model (llama-cpp)
            </button>
            <button type="button" data-testid="add-connection" onClick={() => openForm()} disabled={!plugins}>
              Other backend…
            </button>
          </div>
        </div>
      )}

      {names.length > 0 && (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Saved connections">
          {names.map((name) => {
            const connection = connections![name]!;
            const plugin = plugins?.find((p) => p.id === connection.plugin);
            const test = tests[name];
            const settings = Object.entries(connection.settings);
            return (
              <li key={name} className="panel" style={{ margin: 0 }} data-testid={`connection-${name}`}>
                <div className="row" style={{ justifyContent: 'space-between', alignItems: 'flex-start' }}>
                  <div>
                    <h3 style={{ margin: 0 }}>{name}</h3>
                    <div className="row small" style={{ marginTop: '0.2rem' }}>
                      <span className="badge">{plugin ? pluginLabel(plugin) : connection.plugin}</span>
                      {plugin && unusableReason(plugin) && <span className="badge danger">plugin unavailable</span>}
                    </div>
                  </div>
                  <div className="row">
                    <button
                      type="button"
                      data-testid="test-connection"
                      onClick={() => void runTest(name)}
                      disabled={test?.pending}
                    >
                      {test?.pending ? 'Testing…' : 'Test'}
                    </button>
                    <button
                      type="button"
                      data-testid="edit-connection"
                      onClick={() => editConnection(name, connection)}
                      disabled={!plugin}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="danger"
                      data-testid="remove-connection"
                      onClick={() => void remove(name)}
                      aria-label={`Remove ${name}`}
                    >
                      Remove
                    </button>
                  </div>
                </div>
                {settings.length > 0 ? (
                  <dl className="kv" style={{ marginTop: '0.6rem' }}>
                    {settings.map(([key, value]) => {
                      const field = plugin?.settings?.find((f) => f.key === key);
                      return (
                        <div key={key}>
                          <dt>{field?.title ?? key}</dt>
                          <dd data-testid={`connection-setting-${key}`}>{displaySetting(field, value)}</dd>
                        </div>
                      );
                    })}
                  </dl>
                ) : (
                  <p className="muted small" style={{ margin: '0.6rem 0 0' }}>
                    Plugin defaults.
                  </p>
                )}
                {test && <TestOutcome state={test} />}
              </li>
            );
          })}
        </ul>
      )}

      {unusable.length > 0 && (
        <details className="panel" style={{ marginTop: '1rem' }} data-testid="unusable-plugins">
          <summary>
            {unusable.length} plugin{unusable.length === 1 ? '' : 's'} cannot be used
          </summary>
          <ul className="plugin-list">
            {unusable.map((p) => (
              <li key={p.id}>
                <strong>{pluginLabel(p)}</strong>: <span className="muted">{unusableReason(p)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <KeyStorePanel studio={studio} />
    </section>
  );
}

function TestOutcome({ state }: { state: TestState }) {
  if (state.pending) {
    return (
      <p className="muted small" role="status" data-testid="test-result" style={{ margin: '0.75rem 0 0' }}>
        Connecting…
      </p>
    );
  }
  const { result } = state;
  if (!result.ok) {
    return (
      <div className="alert" role="alert" data-testid="test-result" style={{ margin: '0.75rem 0 0' }}>
        <strong>Test failed.</strong> {result.error}
      </div>
    );
  }
  return (
    <div className="notice-ok" role="status" data-testid="test-result" style={{ margin: '0.75rem 0 0' }}>
      {result.models.length === 0 ? (
        <>Connected. This backend does not list models.</>
      ) : (
        <>
          Connected: {result.models.length} model{result.models.length === 1 ? '' : 's'}
          <ul style={{ margin: '0.3rem 0 0', paddingLeft: '1.2rem' }} data-testid="test-models">
            {result.models.map((m) => (
              <li key={m.id}>
                <code>{m.id}</code>
                {m.contextLength ? (
                  <span className="muted small"> · {m.contextLength.toLocaleString()} tokens context</span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ConnectionForm({
  studio,
  plugins,
  form,
  existing,
  nameFor,
  onChange,
  onCancel,
  onSaved,
}: {
  studio: StudioApi;
  plugins: PluginDto[];
  form: FormState;
  existing: Record<string, ConnectionDto>;
  nameFor: (pluginId: string) => string;
  onChange: (form: FormState) => void;
  onCancel: () => void;
  onSaved: (name: string) => void;
}) {
  const id = useId();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempted, setAttempted] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const plugin = plugins.find((p) => p.id === form.plugin);
  const fields = plugin?.settings ?? [];

  useEffect(() => nameRef.current?.focus(), []);

  // Field problems show once the user has tried to save, then follow their edits.
  const fieldErrors: Record<string, string> = {};
  if (attempted) {
    for (const field of fields) {
      const problem = fieldError(field, form.values[field.key]);
      if (problem) fieldErrors[field.key] = problem;
    }
  }

  const pickPlugin = (pluginId: string) => {
    const next = plugins.find((p) => p.id === pluginId);
    const keepName = form.name !== form.suggestedName;
    const suggested = nameFor(pluginId);
    setError(null);
    setAttempted(false);
    onChange({
      ...form,
      plugin: pluginId,
      name: keepName ? form.name : suggested,
      suggestedName: suggested,
      values: initialValues(next?.settings ?? []),
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    setError(null);
    const name = form.name.trim();
    if (!plugin) return setError('Choose a plugin.');
    if (name === '') return setError('Give the connection a name (letters, digits, ".", "_" and "-").');
    const { settings, errors } = toSettings(fields, form.values);
    const problems = Object.values(errors);
    // A literal secret is stopped here: it never leaves this window.
    if (problems.length > 0) return setError(problems.join('\n'));
    if (name !== form.editing && Object.hasOwn(existing, name)) {
      return setError(`A connection named “${name}” already exists; pick another name or edit that one.`);
    }
    setSaving(true);
    try {
      await studio.connections.save(name, { plugin: plugin.id, settings });
      // A rename saves under the new name; the old entry goes.
      if (form.editing && form.editing !== name) await studio.connections.remove(form.editing);
      onSaved(name);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="panel stack"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="connection-form"
    >
      <h3 id={`${id}-title`} style={{ margin: 0 }}>
        {form.editing ? `Edit “${form.editing}”` : 'Add connection'}
      </h3>

      <div className="field">
        <label htmlFor={`${id}-plugin`}>Backend plugin</label>
        <select
          id={`${id}-plugin`}
          data-testid="connection-plugin"
          value={form.plugin}
          onChange={(e) => pickPlugin(e.target.value)}
          disabled={!!form.editing}
        >
          {!plugin && <option value="">Choose a plugin…</option>}
          {plugins.map((p) => (
            <option key={p.id} value={p.id} disabled={!usable(p)}>
              {pluginLabel(p)}
              {usable(p) ? '' : ' — unavailable'}
            </option>
          ))}
        </select>
        {plugins.some((p) => !usable(p)) && (
          <ul className="plugin-list small">
            {plugins
              .filter((p) => !usable(p))
              .map((p) => (
                <li key={p.id} className="muted">
                  <span className="badge danger">unavailable</span> <strong>{pluginLabel(p)}</strong>:{' '}
                  {unusableReason(p)}
                </li>
              ))}
          </ul>
        )}
        {plugin?.capabilities && (
          <p className="help">
            Can do:{' '}
            {Object.entries(plugin.capabilities)
              .filter(([, on]) => on)
              .map(([capability]) => capability)
              .join(', ') || 'nothing declared'}
          </p>
        )}
      </div>

      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          ref={nameRef}
          id={`${id}-name`}
          type="text"
          data-testid="connection-name"
          value={form.name}
          spellCheck={false}
          placeholder="e.g. local-mistral"
          onChange={(e) => onChange({ ...form, name: e.target.value })}
          aria-describedby={`${id}-name-help`}
        />
        <p className="help" id={`${id}-name-help`}>
          How runs refer to it. Letters, digits, “.”, “_” and “-”.
        </p>
      </div>

      {plugin && (
        <fieldset className="stack" style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend className="muted small" style={{ padding: 0, marginBottom: '0.6rem' }}>
            Settings of {pluginLabel(plugin)}
          </legend>
          <div className="settings-grid">
            <SettingsFields
              fields={fields}
              values={form.values}
              errors={fieldErrors}
              onChange={(key, value) => onChange({ ...form, values: { ...form.values, [key]: value } })}
            />
          </div>
        </fieldset>
      )}

      {error && (
        <div className="alert" role="alert" data-testid="connection-error" style={{ margin: 0 }}>
          <strong>Not saved.</strong> {error}
        </div>
      )}

      <div className="form-actions">
        <button type="button" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
        <button type="submit" className="primary" data-testid="save-connection" disabled={saving || !plugin}>
          {saving ? 'Saving…' : 'Save connection'}
        </button>
      </div>
    </form>
  );
}
