// The New run form's folded part: a connection and an output limit per role, a cap on JSON text, the seed queries
// and ICL examples to use instead of the starter data, and published aspect selections to import.
import { useId } from 'react';
import { OptionalNumberField } from '../../shell/OptionalNumberField';
import { ROLES } from './newRunConfig';
import type { NewRunForm } from './useNewRunForm';

export function RoleOverrides({ form }: { form: NewRunForm }) {
  const { values, names, datasets, update, setRole, perRole, setPerRole } = form;
  const ids = { seeds: useId(), icl: useId(), selections: useId() };
  return (
    <details
      className="new-run-form__roles"
      open={perRole}
      onToggle={(e) => setPerRole((e.target as HTMLDetailsElement).open)}
    >
      <summary>Per-role connections and limits</summary>
      <table className="runs-table">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Connection</th>
            <th scope="col">Max tokens</th>
          </tr>
        </thead>
        <tbody>
          {ROLES.map((role) => (
            <tr key={role}>
              <th scope="row">{role}</th>
              <td>
                <select
                  aria-label={`${role} connection`}
                  value={values.roleConnections[role]}
                  onChange={(e) => setRole('roleConnections', role, e.target.value)}
                >
                  <option value="">same as all</option>
                  {names.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  aria-label={`${role} max tokens`}
                  type="number"
                  min={1}
                  placeholder="2048"
                  value={values.maxTokens[role]}
                  onChange={(e) => setRole('maxTokens', role, e.target.value)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <OptionalNumberField
        className="runs-field runs-field--narrow"
        label="JSON text cap (characters)"
        hint="Longest rationale or analysis in a JSON reply, where the connection enforces the schema. None by default, as the reference; a small local model may need one to close its JSON."
        min={1}
        placeholder="none"
        value={values.jsonTextMaxChars}
        onChange={(jsonTextMaxChars) => update({ jsonTextMaxChars })}
      />
      <div className="runs-field">
        <label htmlFor={ids.seeds}>Seed queries</label>
        <select
          id={ids.seeds}
          data-testid="seed-dataset"
          value={values.seedDataset}
          onChange={(e) => update({ seedDataset: e.target.value })}
        >
          <option value="">Starter seed queries</option>
          {datasets
            .filter((d) => d.kind !== 'icl-examples')
            .map((d) => (
              <option key={d.name} value={d.name}>{`${d.name} (${d.items})`}</option>
            ))}
        </select>
      </div>
      <div className="runs-field">
        <label htmlFor={ids.icl}>ICL examples</label>
        <select
          id={ids.icl}
          data-testid="icl-dataset"
          value={values.iclDataset}
          onChange={(e) => update({ iclDataset: e.target.value })}
        >
          <option value="">Starter ICL examples</option>
          {datasets
            .filter((d) => d.kind === 'icl-examples')
            .map((d) => (
              <option key={d.name} value={d.name}>{`${d.name} (${d.items})`}</option>
            ))}
        </select>
      </div>
      <div className="runs-field">
        <label
          htmlFor={ids.selections}
          title="A JSON file in the reference's cache format (metrics_cache.json); its queries are not asked of the selector. A relative path is read from the studio's data folder."
        >
          Published aspect selections (file)
        </label>
        <input
          id={ids.selections}
          type="text"
          data-testid="selections-file"
          placeholder="none (e.g. /data/drpo/metrics_cache.json)"
          value={values.selections}
          onChange={(e) => update({ selections: e.target.value })}
        />
      </div>
      <OptionalNumberField
        className="runs-field runs-field--narrow"
        label="Seed queries (first N)"
        min={1}
        placeholder="all"
        value={values.seedLimit}
        onChange={(seedLimit) => update({ seedLimit })}
      />
    </details>
  );
}
