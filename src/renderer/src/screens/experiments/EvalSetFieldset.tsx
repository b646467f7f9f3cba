// The evaluation set of a new experiment: a saved eval-set dataset or a file, its split and a seeded sample.
import { useId } from 'react';
import { OptionalNumberField } from '../../shell/OptionalNumberField';
import type { NewExperimentValues } from './experimentForm';
import type { NewExperiment } from './useNewExperiment';

export function EvalSetFieldset({ form }: { form: NewExperiment }) {
  const { values, update, evalSets } = form;
  const ids = { source: useId(), dataset: useId(), file: useId(), split: useId(), seed: useId() };
  return (
    <fieldset>
      <legend>Evaluation set</legend>
      <div className="experiments-row">
        <div className="field">
          <label htmlFor={ids.source}>Source</label>
          <select
            id={ids.source}
            value={values.evalSource}
            onChange={(e) => update({ evalSource: e.target.value as 'dataset' | 'file' })}
            data-testid="eval-source"
          >
            <option value="dataset">A saved evaluation set</option>
            <option value="file">A file path</option>
          </select>
        </div>
        {values.evalSource === 'dataset' ? (
          <div className="field">
            <label htmlFor={ids.dataset}>Dataset</label>
            <select
              id={ids.dataset}
              value={values.dataset}
              onChange={(e) => update({ dataset: e.target.value })}
              data-testid="eval-dataset"
            >
              {evalSets.length === 0 && <option value="">none: import one as eval-set on the Datasets screen</option>}
              {evalSets.map((d) => (
                <option key={d.name} value={d.name}>{`${d.name} (${d.items})`}</option>
              ))}
            </select>
          </div>
        ) : (
          <div className="field experiments-wide">
            <label htmlFor={ids.file}>File</label>
            <input
              id={ids.file}
              type="text"
              value={values.file}
              placeholder="/path/to/just_eval_instruct.json"
              title="just-eval-instruct's format (JSON or JSONL); a relative path resolves against the studio's user-data folder"
              onChange={(e) => update({ file: e.target.value })}
              data-testid="eval-file"
            />
          </div>
        )}
      </div>
      <div className="experiments-row">
        <div className="field experiments-narrow">
          <label htmlFor={ids.split}>Split</label>
          <select
            id={ids.split}
            value={values.split}
            onChange={(e) => update({ split: e.target.value as NewExperimentValues['split'] })}
            data-testid="eval-split"
          >
            <option value="all">all</option>
            <option value="regular">regular</option>
            <option value="safety">safety</option>
          </select>
        </div>
        <OptionalNumberField
          className="field experiments-narrow"
          label="Sample size"
          hint="A seeded sample of this many items; empty: every item"
          min={1}
          placeholder="all"
          value={values.sampleSize}
          onChange={(sampleSize) => update({ sampleSize })}
          testId="sample-size"
        />
        <div className="field experiments-narrow">
          <label htmlFor={ids.seed}>Sample seed</label>
          <input
            id={ids.seed}
            type="number"
            step={1}
            value={values.sampleSeed}
            onChange={(e) => update({ sampleSeed: Number.parseInt(e.target.value, 10) || 0 })}
            data-testid="sample-seed"
          />
        </div>
      </div>
    </fieldset>
  );
}
