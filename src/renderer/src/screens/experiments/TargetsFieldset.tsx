// The target models of a new experiment (saved connections, each with its prompt format) and the concurrency.

import { ConnectionSelect } from '../../components/ConnectionSelect';
import { ConcurrencyField } from '../../shell/ConcurrencyField';
import { PROMPT_FORMATS, type PromptFormat } from '../../shell/promptFormats';
import type { NewExperiment } from './useNewExperiment';

export function TargetsFieldset({ form }: { form: NewExperiment }) {
  const { values, names, update, setTarget, addTarget, removeTarget } = form;
  return (
    <fieldset>
      <legend>Target models</legend>
      <table className="experiments-targets">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Connection</th>
            <th scope="col">Prompt format</th>
            <th scope="col">Max tokens</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {values.targets.map((target, index) => (
            <tr key={target.key} data-testid={`target-${index}`}>
              <td>
                <input
                  type="text"
                  aria-label={`Name of target ${index + 1}`}
                  value={target.name}
                  onChange={(e) => setTarget(index, { name: e.target.value })}
                  data-testid={`target-name-${index}`}
                />
              </td>
              <td>
                <ConnectionSelect
                  label={`Connection of target ${index + 1}`}
                  value={target.connection}
                  names={names}
                  onChange={(connection) => setTarget(index, { connection })}
                  testId={`target-connection-${index}`}
                />
              </td>
              <td>
                <select
                  aria-label={`Prompt format of target ${index + 1}`}
                  value={target.format}
                  onChange={(e) => setTarget(index, { format: e.target.value as PromptFormat | 'automatic' })}
                  data-testid={`target-format-${index}`}
                >
                  <option value="automatic" title="drpo, or drpo-chat where the connection only chats">
                    automatic
                  </option>
                  {PROMPT_FORMATS.map((f) => (
                    <option key={f.value} value={f.value} title={f.label}>
                      {f.value}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  type="number"
                  min={1}
                  aria-label={`Max tokens of target ${index + 1}`}
                  value={Number.isFinite(target.maxTokens) ? target.maxTokens : ''}
                  onChange={(e) => setTarget(index, { maxTokens: Number.parseInt(e.target.value, 10) })}
                  data-testid={`target-max-tokens-${index}`}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="small ghost danger"
                  aria-label={`Remove target ${target.name}`}
                  onClick={() => removeTarget(index)}
                  disabled={values.targets.length === 1}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="experiments-row">
        <button type="button" className="small" onClick={addTarget} data-testid="add-target">
          + Target model
        </button>
      </div>
      <div className="experiments-row">
        <ConcurrencyField
          className="field"
          hint="Per connection (targets and judge). auto finds what the server serves; a pinned number is lowered to it"
          value={values.concurrency}
          onChange={(concurrency) => update({ concurrency })}
          testId="concurrency"
        />
      </div>
    </fieldset>
  );
}
