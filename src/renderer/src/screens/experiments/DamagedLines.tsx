// Lines of an experiment's files that could not be read: left out of the items and answers, and said so.
import type { DamagedLine } from '../../../../shared/studioApi';

/** The first few are named; the rest counted. */
const NAMED = 5;

export function DamagedLines({ damaged }: { damaged: DamagedLine[] }) {
  if (damaged.length === 0) return null;
  const rest = damaged.length - NAMED;
  return (
    <div className="alert" role="status" data-testid="items-damaged">
      <strong>
        {damaged.length} line{damaged.length === 1 ? '' : 's'} could not be read and{' '}
        {damaged.length === 1 ? 'is' : 'are'} left out:
      </strong>
      <ul className="small">
        {damaged.slice(0, NAMED).map((d) => (
          <li key={`${d.file}:${d.line}`}>
            {d.file} line {d.line}: {d.reason}
          </li>
        ))}
        {rest > 0 && <li>and {rest} more</li>}
      </ul>
    </div>
  );
}
