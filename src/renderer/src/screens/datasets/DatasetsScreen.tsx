// Datasets: the seed queries, ICL examples and evaluation sets the user imports (any format the CLI
// reads), previewed and edited in place, saved back or removed (with an undo while it is fresh).

import type { ChangeEvent } from 'react';
import { useEffect, useRef, useState } from 'react';
import type { DatasetDto, DatasetItem, DatasetKind, DatasetSummary, StudioApi } from '../../../../shared/studioApi';
import './datasets.css';

const KINDS: { value: DatasetKind; label: string }[] = [
  { value: 'seed-queries', label: 'Seed queries' },
  { value: 'icl-examples', label: 'ICL examples' },
  { value: 'eval-set', label: 'Evaluation set' },
];
const PAGE = 200;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatTime(ms: number): string {
  return ms > 0 ? new Date(ms).toLocaleString() : '–';
}

/** A dataset name the service accepts (letters, digits, '.', '_', '-'), from a file name. */
function nameFromFile(fileName: string): string {
  const stem = fileName.replace(/\.(jsonl|json|txt)$/i, '');
  return stem.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'dataset';
}

/** What the preview shows beside a query: its category and kind, or an evaluation item's split and tags. */
function itemLabels(item: DatasetItem): string {
  const tags = Object.entries(item.tags ?? {}).map(([dimension, values]) => `${dimension}: ${values.join(', ')}`);
  return [item.category, item.kind, item.split, ...tags].filter(Boolean).join(' / ');
}

function sameItems(a: DatasetItem[], b: DatasetItem[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function DatasetsScreen({ studio }: { studio: StudioApi }) {
  const [list, setList] = useState<DatasetSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);

  const [name, setName] = useState('');
  const [kind, setKind] = useState<DatasetKind>('seed-queries');
  const [importing, setImporting] = useState(false);
  const [importError, setImportError] = useState<string | null>(null);
  const [importNotice, setImportNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const [selected, setSelected] = useState<string | null>(null);
  const [saved, setSaved] = useState<DatasetDto | null>(null);
  const [items, setItems] = useState<DatasetItem[]>([]);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE);
  const [editing, setEditing] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [savedNotice, setSavedNotice] = useState(false);
  const [removed, setRemoved] = useState<DatasetDto | null>(null);

  const refresh = async (): Promise<DatasetSummary[] | null> => {
    setListError(null);
    try {
      const next = await studio.datasets.list();
      setList(next);
      return next;
    } catch (e) {
      setListError(errorMessage(e));
      return null;
    }
  };

  useEffect(() => {
    void refresh();
  }, [studio]);

  const open = async (datasetName: string) => {
    setSelected(datasetName);
    setSaved(null);
    setItems([]);
    setDetailError(null);
    setActionError(null);
    setSavedNotice(false);
    setEditing(null);
    setShown(PAGE);
    try {
      const dto = await studio.datasets.get(datasetName);
      setSaved(dto);
      setItems(structuredClone(dto.items));
    } catch (e) {
      setDetailError(errorMessage(e));
    }
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const datasetName = name.trim() || nameFromFile(file.name);
    setImporting(true);
    setImportError(null);
    setImportNotice(null);
    try {
      const text = await file.text();
      const summary = await studio.datasets.import(datasetName, kind, file.name, text);
      setImportNotice(`Imported "${summary.name}": ${summary.items} item${summary.items === 1 ? '' : 's'}.`);
      setName('');
      await refresh();
      await open(summary.name);
    } catch (e) {
      setImportError(errorMessage(e));
    } finally {
      setImporting(false);
      // The same file can be chosen again after a fix.
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const dirty = saved !== null && !sameItems(saved.items, items);
  const isIcl = saved?.kind === 'icl-examples';
  const isEval = saved?.kind === 'eval-set';

  const updateItem = (index: number, patch: Partial<DatasetItem>) => {
    setSavedNotice(false);
    setItems((old) => old.map((item, i) => (i === index ? { ...item, ...patch } : item)));
  };

  const removeItem = (index: number) => {
    setSavedNotice(false);
    setEditing(null);
    setItems((old) => old.filter((_, i) => i !== index));
  };

  const addItem = () => {
    setSavedNotice(false);
    const index = items.length;
    setItems((old) => [
      ...old,
      isIcl ? { query: '', answer: '' } : isEval ? { query: '', split: 'regular' } : { query: '' },
    ]);
    setShown((s) => Math.max(s, index + 1));
    setEditing(index);
  };

  const save = async () => {
    if (!saved) return;
    setBusy(true);
    setActionError(null);
    setSavedNotice(false);
    try {
      const dto: DatasetDto = { name: saved.name, kind: saved.kind, items: structuredClone(items) };
      await studio.datasets.save(dto);
      setSaved(dto);
      setEditing(null);
      setSavedNotice(true);
      await refresh();
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!saved) return;
    setBusy(true);
    setActionError(null);
    try {
      await studio.datasets.remove(saved.name);
      // Keep what was stored, so Undo can bring it back.
      setRemoved(saved);
      setSelected(null);
      setSaved(null);
      setItems([]);
      await refresh();
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const undoRemove = async () => {
    if (!removed) return;
    try {
      await studio.datasets.save(removed);
      const restored = removed.name;
      setRemoved(null);
      await refresh();
      await open(restored);
    } catch (e) {
      setListError(errorMessage(e));
    }
  };

  return (
    <section className="screen" data-testid="screen-datasets">
      <div className="screen-header">
        <div>
          <h2>Datasets</h2>
          <p>
            Seed queries for the system-prompt search, in-context examples to polish and retrieve, and evaluation sets.
            Import a file, check it here, fix a row in place.
          </p>
        </div>
      </div>

      <div className="panel">
        <h3>Import</h3>
        <div className="datasets-import">
          <label className="field">
            Name
            <input
              type="text"
              value={name}
              placeholder="(the file's name)"
              onChange={(e) => setName(e.target.value)}
              data-testid="dataset-name"
              aria-describedby="dataset-name-help"
            />
            <span className="help" id="dataset-name-help">
              Letters, digits, '.', '_' and '-'. An existing dataset of that name is replaced.
            </span>
          </label>
          <label className="field">
            Kind
            <select value={kind} onChange={(e) => setKind(e.target.value as DatasetKind)} data-testid="dataset-kind">
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.value}
                </option>
              ))}
            </select>
            <span className="help">{KINDS.find((k) => k.value === kind)?.label}</span>
          </label>
          <label className="field">
            File
            <input
              ref={fileInput}
              type="file"
              accept=".json,.jsonl,.txt"
              onChange={(e) => void onFile(e)}
              disabled={importing}
              data-testid="dataset-file"
            />
            <span className="help">
              {importing ? 'Importing…' : '.json, .jsonl or .txt — imported as soon as it is chosen.'}
            </span>
          </label>
        </div>
        {importError && (
          <div className="alert" role="alert" data-testid="dataset-import-error" style={{ marginTop: '0.75rem' }}>
            <strong>Not imported.</strong> {importError}
          </div>
        )}
        {importNotice && !importError && (
          <div className="notice-ok" role="status" data-testid="dataset-imported" style={{ marginTop: '0.75rem' }}>
            {importNotice}
          </div>
        )}
      </div>

      {listError && (
        <div className="alert" role="alert" data-testid="datasets-error">
          <strong>Cannot load the datasets.</strong> {listError}{' '}
          <button type="button" className="small" onClick={() => void refresh()}>
            Retry
          </button>
        </div>
      )}

      {removed && (
        <div className="notice-ok row" role="status" data-testid="dataset-removed">
          <span>Removed "{removed.name}".</span>
          <span style={{ flex: 1 }} />
          <button type="button" className="small" onClick={() => void undoRemove()} data-testid="undo-remove-dataset">
            Undo
          </button>
          <button type="button" className="small ghost" onClick={() => setRemoved(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}

      {list === null && !listError ? (
        <p className="muted">Loading datasets…</p>
      ) : list !== null && list.length === 0 ? (
        <FormatsHelp />
      ) : list !== null ? (
        <table className="datasets-list" data-testid="dataset-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th className="num">Items</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr
                key={d.name}
                className={d.name === selected ? 'selected' : undefined}
                data-testid={`dataset-${d.name}`}
                aria-selected={d.name === selected}
              >
                <td>
                  <button
                    type="button"
                    className="ghost small linkish"
                    onClick={() => void open(d.name)}
                    data-testid={`open-dataset-${d.name}`}
                  >
                    {d.name}
                  </button>
                </td>
                <td>
                  <span className="badge">{d.kind}</span>
                </td>
                <td className="num">{d.items}</td>
                <td className="muted small">{formatTime(d.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {selected && (
        <div className="panel datasets-detail" style={{ marginTop: '1rem' }}>
          <div className="row" style={{ marginBottom: '0.75rem' }}>
            <h3 style={{ margin: 0 }}>{selected}</h3>
            {saved && <span className="badge">{saved.kind}</span>}
            {saved && (
              <span className="muted small">
                {items.length} item{items.length === 1 ? '' : 's'}
              </span>
            )}
            {dirty && (
              <span className="badge accent" role="status" data-testid="dataset-unsaved">
                Unsaved changes
              </span>
            )}
            {savedNotice && !dirty && (
              <span className="badge ok" role="status" data-testid="dataset-saved">
                Saved
              </span>
            )}
            <span style={{ flex: 1 }} />
            <button type="button" onClick={addItem} disabled={!saved || busy} data-testid="add-dataset-row">
              + Add row
            </button>
            <button
              type="button"
              onClick={() => saved && (setItems(structuredClone(saved.items)), setEditing(null))}
              disabled={!dirty || busy}
              data-testid="discard-dataset"
            >
              Discard
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => void save()}
              disabled={!dirty || busy}
              data-testid="save-dataset"
            >
              {busy ? 'Working…' : 'Save'}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => void remove()}
              disabled={!saved || busy}
              data-testid="remove-dataset"
            >
              Remove
            </button>
          </div>

          {actionError && (
            <div className="alert" role="alert" data-testid="dataset-error">
              <strong>Failed.</strong> {actionError}
            </div>
          )}
          {detailError && (
            <div className="alert" role="alert" data-testid="dataset-error">
              <strong>Cannot open the dataset.</strong> {detailError}
            </div>
          )}
          {!saved && !detailError && <p className="muted">Loading…</p>}

          {saved && (
            <>
              <div className="datasets-table-wrap">
                <table data-testid="dataset-preview">
                  <thead>
                    <tr>
                      <th className="num">#</th>
                      <th>Query</th>
                      <th>{isEval ? 'Split / tags' : 'Category / kind'}</th>
                      {isIcl && <th>Answer</th>}
                      <th aria-label="Actions" />
                    </tr>
                  </thead>
                  <tbody>
                    {items.slice(0, shown).map((item, index) => {
                      const isEditing = editing === index;
                      return (
                        <tr key={index} data-testid={`dataset-row-${index}`}>
                          <td className="num muted">{index + 1}</td>
                          <td className="datasets-cell">
                            {isEditing ? (
                              <textarea
                                value={item.query}
                                onChange={(e) => updateItem(index, { query: e.target.value })}
                                aria-label={`Query of row ${index + 1}`}
                                aria-invalid={item.query.trim() === '' ? true : undefined}
                                data-testid={`row-query-${index}`}
                                autoFocus
                              />
                            ) : (
                              <div className="datasets-text">{item.query}</div>
                            )}
                          </td>
                          <td className="small">{itemLabels(item) || <span className="muted">–</span>}</td>
                          {isIcl && (
                            <td className="datasets-cell">
                              {isEditing ? (
                                <textarea
                                  value={item.answer ?? ''}
                                  onChange={(e) => updateItem(index, { answer: e.target.value })}
                                  aria-label={`Answer of row ${index + 1}`}
                                  aria-invalid={(item.answer ?? '').trim() === '' ? true : undefined}
                                  data-testid={`row-answer-${index}`}
                                  rows={5}
                                />
                              ) : (
                                <div className="datasets-text">{item.answer}</div>
                              )}
                            </td>
                          )}
                          <td className="datasets-actions">
                            <button
                              type="button"
                              className="small"
                              onClick={() => setEditing(isEditing ? null : index)}
                              data-testid={`edit-row-${index}`}
                            >
                              {isEditing ? 'Done' : 'Edit'}
                            </button>
                            <button
                              type="button"
                              className="small ghost danger"
                              onClick={() => removeItem(index)}
                              aria-label={`Delete row ${index + 1}`}
                              data-testid={`delete-row-${index}`}
                            >
                              Delete
                            </button>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              {items.length > shown && (
                <div className="row" style={{ marginTop: '0.75rem' }}>
                  <span className="muted small">
                    Showing {shown} of {items.length}.
                  </span>
                  <button
                    type="button"
                    className="small"
                    onClick={() => setShown((s) => s + PAGE)}
                    data-testid="dataset-show-more"
                  >
                    Show more
                  </button>
                </div>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}

function FormatsHelp() {
  return (
    <div className="empty" data-testid="datasets-empty">
      <h3>No datasets yet</h3>
      <p>Import a file above. Every format the command line reads works, the paper's included:</p>
      <ul className="datasets-formats">
        <li>
          <strong>Alpaca</strong> — a JSON array of <code>{'{"instruction": …, "input": …}'}</code> (the input, when
          present, is appended to the instruction).
        </li>
        <li>
          <strong>LIMA</strong> — <code>{'{"query": …, "category": …}'}</code> objects, as a JSON array or one per line
          (<code>.jsonl</code>).
        </li>
        <li>
          <strong>Plain text</strong> — a <code>.txt</code> file with one query per line.
        </li>
        <li>
          <strong>Evaluation sets</strong> — just-eval-instruct's items{' '}
          <code>{'{"id": …, "instruction": …, "category": "regular" | "safety", "dataset": …}'}</code> (JSON or{' '}
          <code>.jsonl</code>); ids, splits and sources are kept, for the Experiments screen. Choose the kind{' '}
          <code>eval-set</code>.
        </li>
        <li>
          <strong>ICL examples</strong> — the paper's object <code>{'{"<query>": "<START>…<END>"}'}</code> (each query
          mapped to its answer between the markers), or <code>{'[{"query": …, "answer": …}]'}</code>. Choose the kind{' '}
          <code>icl-examples</code>.
        </li>
      </ul>
    </div>
  );
}
