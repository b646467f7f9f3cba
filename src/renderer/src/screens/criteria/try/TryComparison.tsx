// "Judge again" after an edit: the judgement before and the one after side by side, each headed
// by when it was made and the catalog edit between them, and the score change per aspect.
import type { AspectTryJudgement } from '../../../../../shared/aspectTry';
import { catalogChanges } from './catalogChanges';
import { scoreChanges, signed } from './scoreChanges';
import { TryResultCard } from './TryResultCard';
import type { TryRecord } from './useAspectTry';

const time = (ms: number) => new Date(ms).toLocaleTimeString();

export function TryComparison({ before, after }: { before: TryRecord; after: TryRecord }) {
  const changes = catalogChanges(before.catalog, after.catalog);
  const edit = changes.length > 0 ? `Changed since: ${changes.join('; ')}` : 'The same catalog as before';
  const judged = (r: TryRecord): AspectTryJudgement =>
    r.outcome.ok ? r.outcome.result.judgement : { ok: false, error: r.outcome.error };
  const [was, now] = [judged(before), judged(after)];
  const rewardChange = was.ok && now.ok ? now.reward - was.reward : null;
  return (
    <section className="try-compare" data-testid="try-compare" aria-label="Before and after the edit">
      <div className="try-compare__cards">
        <TryResultCard
          record={before}
          heading={`Before edit · ${time(before.at)}`}
          subheading="The catalog as it was then"
          testId="try-before"
        />
        <TryResultCard record={after} heading={`After edit · ${time(after.at)}`} subheading={edit} testId="try-after" />
      </div>
      <table className="try-scores" data-testid="try-changes">
        <caption className="small muted">Score change per aspect (after − before)</caption>
        <thead>
          <tr>
            <th scope="col">Aspect</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {scoreChanges(was, now).map((c) => (
            <tr key={c.aspect} data-testid={`try-change-${c.aspect}`}>
              <th scope="row">{c.aspect}</th>
              <td>{c.before ?? '–'}</td>
              <td>{c.after ?? '–'}</td>
              <td className="try-score">{signed(c.change)}</td>
            </tr>
          ))}
          <tr data-testid="try-change-reward">
            <th scope="row">Reward</th>
            <td>{was.ok ? was.reward.toFixed(2) : '–'}</td>
            <td>{now.ok ? now.reward.toFixed(2) : '–'}</td>
            <td className="try-score">{signed(rewardChange, 2)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
