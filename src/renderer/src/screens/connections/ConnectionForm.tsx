// The add/edit form of a connection: the backend plugin, the name runs refer to it by, and the
// plugin's own settings (from its schema).
import { useEffect, useId, useRef } from 'react';
import { pluginLabel, unusableReason, usable } from './plugins';
import { SettingsFields } from './SettingsFields';
import { type ConnectionFormProps, useConnectionForm } from './useConnectionForm';

export function ConnectionForm(props: ConnectionFormProps) {
  const { plugins, form, onChange, onCancel } = props;
  const id = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const { plugin, fields, fieldErrors, saving, error, pickPlugin, submit } = useConnectionForm(props);

  useEffect(() => nameRef.current?.focus(), []);

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
