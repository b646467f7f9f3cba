// A run's or an experiment's name and notes, shown under its title and edited in place ("Name and
// notes…", then Save or Cancel). Saved in the item's folder (meta.json), so they survive a reload;
// a meta.json that cannot be read is said, and saving writes a fresh one.
import { useId, useState } from 'react';
import type { DamagedFile, ItemDescription as Description } from '../../../shared/studioApi';
import { errorMessage } from '../shell/format';

interface Props {
  /** "run", "experiment". */
  what: string;
  name?: string;
  notes?: string;
  metaDamaged?: DamagedFile;
  onSave: (description: Description) => Promise<unknown>;
}

export function ItemDescription({ what, name, notes, metaDamaged, onSave }: Props) {
  const [draft, setDraft] = useState<{ name: string; notes: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const notesId = useId();

  const save = async () => {
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      await onSave({ name: draft.name, notes: draft.notes });
      setDraft(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (draft) {
    return (
      <form
        className="item-description item-description--editing"
        aria-label={`Name and notes of the ${what}`}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          value={draft.name}
          maxLength={200}
          placeholder={`A name for this ${what}`}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          data-testid="item-name-input"
        />
        <label htmlFor={notesId}>Notes</label>
        <textarea
          id={notesId}
          value={draft.notes}
          rows={3}
          onChange={(e) => setDraft({ ...draft, notes: e.target.value })}
          data-testid="item-notes-input"
        />
        <span className="row">
          <button type="submit" className="small primary" disabled={busy} data-testid="item-description-save">
            {busy ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="small" disabled={busy} onClick={() => setDraft(null)}>
            Cancel
          </button>
        </span>
        {error && (
          <span className="alert" role="alert">
            {error}
          </span>
        )}
      </form>
    );
  }
  return (
    <div className="item-description">
      {name && (
        <strong className="item-description__name" data-testid="item-name">
          {name}
        </strong>
      )}
      {notes && (
        <p className="item-description__notes small" data-testid="item-notes">
          {notes}
        </p>
      )}
      {metaDamaged && (
        <p className="alert small" role="alert" data-testid="item-meta-damaged">
          Its name and notes cannot be read ({metaDamaged.reason}); saving writes them afresh.
        </p>
      )}
      <button
        type="button"
        className="small"
        onClick={() => setDraft({ name: name ?? '', notes: notes ?? '' })}
        data-testid="item-description-edit"
      >
        {name || notes ? 'Edit name and notes' : 'Name and notes…'}
      </button>
    </div>
  );
}
