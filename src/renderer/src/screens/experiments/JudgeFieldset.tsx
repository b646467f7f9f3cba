// The evaluation judge of a new experiment: a saved connection, chosen apart from any run's judge, and its limits.
import { useId } from 'react';
import { NumberField } from '../../shell/NumberField';
import { ConnectionSelect } from './ConnectionSelect';
import type { NewExperiment } from './useNewExperiment';

export function JudgeFieldset({ form }: { form: NewExperiment }) {
  const { values, names, update } = form;
  const ids = { judge: useId(), na: useId() };
  return (
    <fieldset>
      <legend>Evaluation judge</legend>
      <div className="experiments-row">
        <div className="field">
          <label htmlFor={ids.judge}>Connection</label>
          <ConnectionSelect
            id={ids.judge}
            value={values.judge.connection}
            names={names}
            onChange={(connection) => update({ judge: { ...values.judge, connection } })}
            testId="judge-connection"
          />
        </div>
        <NumberField
          className="field experiments-narrow"
          label="Max tokens"
          value={values.judge.maxTokens}
          min={1}
          onChange={(maxTokens) => update({ judge: { ...values.judge, maxTokens } })}
          testId="judge-max-tokens"
        />
        <NumberField
          className="field experiments-narrow"
          label="Reason length"
          hint="Longest reason per aspect, in characters, where decoding is schema-constrained"
          value={values.judge.reasonMaxChars}
          min={10}
          onChange={(reasonMaxChars) => update({ judge: { ...values.judge, reasonMaxChars } })}
          testId="judge-reason-chars"
        />
      </div>
      <label className="checkbox" htmlFor={ids.na}>
        <input
          id={ids.na}
          type="checkbox"
          checked={values.judge.allowNotApplicable}
          onChange={(e) => update({ judge: { ...values.judge, allowNotApplicable: e.target.checked } })}
          data-testid="judge-allow-na"
        />
        The judge may answer N/A (kept apart, never a score)
      </label>
    </fieldset>
  );
}
