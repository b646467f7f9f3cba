// Catalogues as files: Import a catalog JSON into the editor (unsaved, undoable) and Export the
// catalog as edited (the same JSON the studio keeps, rubrics included).
import { useId } from 'react';
import type { AspectCatalogDto, StudioApi } from '../../../../../shared/studioApi';
import { SaveCopy } from '../../../components/SaveCopy';
import { useCatalogImport } from './useCatalogImport';

export function CatalogFiles({ studio, draft }: { studio: StudioApi; draft: AspectCatalogDto }) {
  const id = useId();
  const imports = useCatalogImport(studio);
  return (
    <div className="panel catalog-files" data-testid="catalog-files">
      <div className="row">
        <label htmlFor={id}>Import a catalog</label>
        <input
          id={id}
          ref={imports.fileInput}
          type="file"
          accept=".json,application/json"
          disabled={imports.busy}
          onChange={(e) => void imports.onFile(e)}
          data-testid="catalog-import"
        />
        {imports.canUndo && (
          <button type="button" className="small" onClick={imports.undo} data-testid="catalog-import-undo">
            Undo import
          </button>
        )}
        <span style={{ flex: 1 }} />
        <span className="small muted">Export the catalog as edited</span>
        <SaveCopy
          text={() => `${JSON.stringify(draft, null, 2)}\n`}
          fileName="aspects.json"
          type="application/json"
          what="the aspect catalog"
          testId="catalog-export"
        />
      </div>
      {imports.error && (
        <p className="alert" role="alert" data-testid="catalog-import-error">
          {imports.error}
        </p>
      )}
      {imports.notice && (
        <p className="small" role="status" data-testid="catalog-import-notice">
          {imports.notice}
        </p>
      )}
    </div>
  );
}
