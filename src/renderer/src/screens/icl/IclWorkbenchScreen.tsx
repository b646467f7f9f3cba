// ICL workbench: what an ICL run (Algorithm 1) did to each in-context example — the answer before
// and after, its score, and the best reward level by level — and which examples retrieval puts
// before a query, from an ICL dataset.
import type { StudioApi } from '../../../../shared/studioApi';
import { ScreenHeader } from '../../components/ScreenHeader';
import { IclRunPanel } from './IclRunPanel';
import { RetrievalPanel } from './RetrievalPanel';
import './icl.css';

export function IclWorkbenchScreen({ studio }: { studio: StudioApi }) {
  return (
    <section className="screen" data-testid="screen-icl">
      <ScreenHeader title="ICL workbench">
        The ICL stage rewrites each in-context example's answer under the judge's feedback. Compare each answer before
        and after, and check which examples retrieval would put before a query.
      </ScreenHeader>
      <IclRunPanel studio={studio} />
      <RetrievalPanel studio={studio} />
    </section>
  );
}
