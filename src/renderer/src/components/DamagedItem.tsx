// A listed item the studio cannot read (a run or experiment folder, a dataset file): which file and
// why, and the one thing left to do with it, removing it.
import type { DamagedFile } from '../../../shared/studioApi';
import { ConfirmRemove } from './ConfirmRemove';

interface Props {
  /** "run", "experiment". */
  what: string;
  id: string;
  damaged: DamagedFile;
  onRemove: () => Promise<void>;
}

export function DamagedItem({ what, id, damaged, onRemove }: Props) {
  return (
    <section className="panel damaged-item" data-testid="damaged-item" aria-labelledby="damaged-item-title">
      <h3 id="damaged-item-title">
        {what[0]!.toUpperCase() + what.slice(1)} <code>{id}</code> cannot be read
      </h3>
      <p className="alert" data-testid="damaged-reason">
        <strong>{damaged.reason}</strong>
        <br />
        in <code>{damaged.file}</code>
      </p>
      <p className="muted small">
        Fix the file by hand and it is listed again as it was, or remove the {what} and everything in its folder.
      </p>
      <ConfirmRemove label={`${what} ${id}`} onRemove={onRemove} testId={`remove-${what}`} />
    </section>
  );
}
