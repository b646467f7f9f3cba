// The bar under the criteria: whether the draft is saved, the save error, Discard changes and Save.
import type { CriteriaEditor } from './useCriteriaEditor';

export function CriteriaSaveBar({ editor }: { editor: CriteriaEditor }) {
  const { dirty, saving, saveError, savedNotice } = editor;
  return (
    <div className="sticky-actions">
      {saveError && (
        <div className="alert" role="alert" data-testid="aspects-error">
          <strong>Not saved.</strong> {saveError}
        </div>
      )}
      <div className="row">
        {dirty ? (
          <span className="badge accent" data-testid="unsaved-changes" role="status">
            Unsaved changes
          </span>
        ) : savedNotice ? (
          <span className="badge ok" role="status" data-testid="aspects-saved">
            Saved
          </span>
        ) : (
          <span className="muted small">All changes saved</span>
        )}
        <span style={{ flex: 1 }} />
        <button type="button" onClick={editor.discard} disabled={!dirty || saving} data-testid="discard-aspects">
          Discard changes
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void editor.save()}
          disabled={saving}
          data-testid="save-aspects"
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </div>
  );
}
