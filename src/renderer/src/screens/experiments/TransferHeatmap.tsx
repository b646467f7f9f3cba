// The transfer matrix (the paper's Table 2): setups × target models, each cell colored by its
// average score, with its difference from the baseline setup on the same target, and below it
// just-eval's figure (N/A counted as 5, as its scorer and the paper's tables do).
import type { ExperimentResult } from '../../../../shared/experimentTypes';
import { formatScore } from '../../shell/format';
import { findCell, headline, justEvalHeadline, scoreFill, signed } from './resultModel';

export function TransferHeatmap({ result }: { result: ExperimentResult }) {
  return (
    <figure className="experiments-figure" data-testid="transfer-heatmap">
      <figcaption>
        Transfer: average score of each setup on each target{' '}
        <span className="muted small">
          (Δ against “{result.baseline}”; below, just-eval's figure, which counts N/A as 5)
        </span>
      </figcaption>
      <table className="experiments-heatmap">
        <thead>
          <tr>
            <th scope="col">Setup</th>
            {result.targets.map((t) => (
              <th key={t.name} scope="col">
                {t.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.setups.map((setup) => (
            <tr key={setup.name} data-testid="heatmap-row">
              <th scope="row">
                {setup.name}
                {setup.name === result.baseline && <span className="badge experiments-baseline">baseline</span>}
              </th>
              {result.targets.map((target) => {
                const cell = findCell(result, setup.name, target.name);
                const score = headline(cell);
                const delta = signed(cell?.delta?.average);
                const justEval = justEvalHeadline(cell);
                return (
                  <td
                    key={target.name}
                    data-testid="heatmap-cell"
                    data-setup={setup.name}
                    data-target={target.name}
                    style={score === null ? undefined : { background: scoreFill(score) }}
                    aria-label={`${setup.name} on ${target.name}: ${formatScore(score)}${delta ? `, ${delta} against the baseline` : ''}; just-eval (N/A as 5): ${formatScore(justEval)}`}
                  >
                    <span className="experiments-heat-score">{formatScore(score)}</span>
                    {delta && (
                      <span className={`experiments-heat-delta ${cell!.delta!.average! >= 0 ? 'up' : 'down'}`}>
                        {delta}
                      </span>
                    )}
                    <span className="experiments-heat-just-eval muted small" data-testid="heatmap-just-eval">
                      just-eval {formatScore(justEval)}
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="experiments-scale" aria-hidden="true">
        <span>1</span>
        {[1, 2, 3, 4, 5].map((s) => (
          <i key={s} style={{ background: scoreFill(s, 0.6) }} />
        ))}
        <span>5</span>
      </div>
    </figure>
  );
}
