// Reward criteria: the aspect catalog the selector picks from and the judge scores on, edited
// in place (wording, on/off, custom aspects) plus the fixed set static rewarding uses.
import type { StudioApi } from '../../../../shared/studioApi';
import { RetryAlert } from '../../components/RetryAlert';
import { ScreenHeader } from '../../components/ScreenHeader';
import { AspectsPanel } from './AspectsPanel';
import { CriteriaSaveBar } from './CriteriaSaveBar';
import { StaticAspectSet } from './StaticAspectSet';
import { CatalogFiles } from './try/CatalogFiles';
import { TryPanel } from './try/TryPanel';
import { useCriteriaEditor } from './useCriteriaEditor';

export function CriteriaScreen({ studio }: { studio: StudioApi }) {
  const editor = useCriteriaEditor(studio);
  const { state, dirty, loadError } = editor;
  return (
    <section className="screen" data-testid="screen-criteria">
      <Header dirty={dirty} />
      {state ? (
        <>
          <CatalogFiles studio={studio} draft={state.draft} />
          <AspectsPanel editor={editor} />
          <StaticAspectSet draft={state.draft} onToggle={editor.toggleStatic} />
          <TryPanel studio={studio} draft={state.draft} />
          <CriteriaSaveBar editor={editor} />
        </>
      ) : loadError ? (
        <RetryAlert
          title="Cannot load the aspect catalog."
          message={loadError}
          onRetry={editor.load}
          testId="aspects-error"
        />
      ) : (
        <p className="muted">Loading the aspect catalog…</p>
      )}
    </section>
  );
}

function Header({ dirty }: { dirty: boolean }) {
  return (
    <ScreenHeader
      title={
        <>
          Reward criteria{' '}
          {dirty && (
            <span className="badge accent" style={{ verticalAlign: 'middle' }}>
              Unsaved
            </span>
          )}
        </>
      }
    >
      The aspects a response is judged on. Edit their wording, switch some off, or add your own; runs use this catalog
      unless their config names another.
    </ScreenHeader>
  );
}
