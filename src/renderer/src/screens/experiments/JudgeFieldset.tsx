// The evaluation judge of a new experiment: a saved connection, chosen apart from any run's judge,
// its prompts (just-eval's templates or the project's own) and its limits.
import { useId } from 'react';
import { ConnectionSelect } from '../../components/ConnectionSelect';
import { NumberField } from '../../shell/NumberField';
import { OptionalNumberField } from '../../shell/OptionalNumberField';
import { JUDGE_PROTOCOLS, type JudgeProtocolChoice, type JudgeValues } from './experimentForm';
import type { NewExperiment } from './useNewExperiment';

export function JudgeFieldset({ form }: { form: NewExperiment }) {
  const { values, names, update } = form;
  const ids = {
    judge: useId(),
    na: useId(),
    protocol: useId(),
    regular: useId(),
    safety: useId(),
  };
  const judge = values.judge;
  const set = (change: Partial<JudgeValues>) => update({ judge: { ...judge, ...change } });
  return (
    <fieldset>
      <legend>Evaluation judge</legend>
      <div className="experiments-row">
        <div className="field">
          <label htmlFor={ids.judge}>Connection</label>
          <ConnectionSelect
            id={ids.judge}
            value={judge.connection}
            names={names}
            onChange={(connection) => set({ connection })}
            testId="judge-connection"
          />
        </div>
        <NumberField
          className="field experiments-narrow"
          label="Max tokens"
          value={judge.maxTokens}
          min={1}
          onChange={(maxTokens) => set({ maxTokens })}
          testId="judge-max-tokens"
        />
        <OptionalNumberField
          className="field experiments-narrow"
          label="Reason length"
          hint="Longest reason per aspect, in characters, where decoding is schema-constrained; empty: no cap"
          min={10}
          placeholder="no cap"
          value={judge.reasonMaxChars}
          onChange={(reasonMaxChars) => set({ reasonMaxChars })}
          testId="judge-reason-chars"
        />
      </div>
      <div className="experiments-row">
        <div className="field experiments-wide">
          <label
            htmlFor={ids.protocol}
            title="just-eval's own judge templates make figures that compare with the paper's tables; `drpo-studio eval-set fetch --user-data <the studio's folder>` puts them in its just-eval/ folder"
          >
            Judge prompts
          </label>
          <select
            id={ids.protocol}
            value={judge.protocol}
            onChange={(e) => set({ protocol: e.target.value as JudgeProtocolChoice })}
            data-testid="judge-protocol"
          >
            {JUDGE_PROTOCOLS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {judge.protocol !== 'drpo-studio' && (
        <div className="experiments-row">
          {(
            [
              ['regularTemplate', ids.regular, 'Regular-items template', 'score_multi.template.txt'],
              ['safetyTemplate', ids.safety, 'Safety-items template', 'score_safety.template.txt'],
            ] as const
          ).map(([key, id, label, file]) => (
            <div className="field experiments-wide" key={key}>
              <label htmlFor={id}>{label}</label>
              <input
                id={id}
                type="text"
                value={judge[key]}
                placeholder={`just-eval/${file}`}
                title="A file of just-eval's template; empty: the one in the user-data folder's just-eval/; a relative path resolves against the user-data folder"
                onChange={(e) => set({ [key]: e.target.value })}
                data-testid={`judge-${key === 'regularTemplate' ? 'regular' : 'safety'}-template`}
              />
            </div>
          ))}
        </div>
      )}
      <label className="checkbox" htmlFor={ids.na}>
        <input
          id={ids.na}
          type="checkbox"
          checked={judge.allowNotApplicable}
          onChange={(e) => set({ allowNotApplicable: e.target.checked })}
          data-testid="judge-allow-na"
        />
        The judge may answer N/A (kept apart, never a score; just-eval's figure counts it as 5)
      </label>
    </fieldset>
  );
}
