// Datasets: the seed queries, ICL examples and evaluation sets the user imports (any format the CLI
// reads), previewed and edited in place, saved back or removed (with an undo while it is fresh).
import type { StudioApi } from '../../../../shared/studioApi';
import { RetryAlert } from '../../components/RetryAlert';
import { ScreenHeader } from '../../components/ScreenHeader';
import { DatasetDetail } from './DatasetDetail';
import { DatasetFormatsHelp } from './DatasetFormatsHelp';
import { DatasetImportPanel } from './DatasetImportPanel';
import { DatasetList } from './DatasetList';
import { useDatasetEditor } from './useDatasetEditor';
import { useDatasetImport } from './useDatasetImport';
import { useDatasetList } from './useDatasetList';
import './datasets.css';

export function DatasetsScreen({ studio }: { studio: StudioApi }) {
  const datasets = useDatasetList(studio);
  const editor = useDatasetEditor(studio, datasets);
  const importForm = useDatasetImport(studio, async (name) => {
    await datasets.refresh();
    await editor.open(name);
  });
  const { list, error } = datasets;
  const { removed } = editor;

  return (
    <section className="screen" data-testid="screen-datasets">
      <ScreenHeader title="Datasets">
        Seed queries for the system-prompt search, in-context examples to polish and retrieve, and evaluation sets.
        Import a file, check it here, fix a row in place.
      </ScreenHeader>

      <DatasetImportPanel form={importForm} />

      {error && (
        <RetryAlert
          title="Cannot load the datasets."
          message={error}
          onRetry={() => void datasets.refresh()}
          testId="datasets-error"
        />
      )}

      {removed && (
        <div className="notice-ok row" role="status" data-testid="dataset-removed">
          <span>Removed "{removed.name}".</span>
          <span style={{ flex: 1 }} />
          <button
            type="button"
            className="small"
            onClick={() => void editor.undoRemove()}
            data-testid="undo-remove-dataset"
          >
            Undo
          </button>
          <button type="button" className="small ghost" onClick={editor.dismissRemoved} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}

      {list === null ? (
        !error && <p className="muted">Loading datasets…</p>
      ) : list.length === 0 ? (
        <DatasetFormatsHelp />
      ) : (
        <DatasetList
          list={list}
          selected={editor.selected}
          onOpen={(name) => void editor.open(name)}
          onRemove={async (name) => {
            await studio.datasets.remove(name);
            await datasets.refresh();
          }}
        />
      )}

      {editor.selected && <DatasetDetail editor={editor} />}
    </section>
  );
}
