// The open dataset: what the service holds, the rows being edited (each with a stable React key),
// save, discard, remove with an undo while it is fresh, and how many rows the preview shows.
import { useMemo, useRef, useState } from 'react';
import type { DatasetDto, DatasetItem, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { blankItem, sameItems } from './datasetItems';
import type { DatasetList } from './useDatasetList';

export const PAGE = 200;

export interface DatasetRow {
  /** Stable React key of the row; not saved. */
  key: number;
  item: DatasetItem;
}

export function useDatasetEditor(studio: StudioApi, datasets: DatasetList) {
  const [selected, setSelected] = useState<string | null>(null);
  const [saved, setSaved] = useState<DatasetDto | null>(null);
  const [rows, setRows] = useState<DatasetRow[]>([]);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE);
  /** The key of the row being edited. */
  const [editing, setEditing] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [savedNotice, setSavedNotice] = useState(false);
  const [removed, setRemoved] = useState<DatasetDto | null>(null);
  const nextKey = useRef(0);
  /** The dataset asked for last: an earlier open that answers later is dropped. */
  const opening = useRef<string | null>(null);

  const toRows = (items: DatasetItem[]): DatasetRow[] =>
    items.map((item) => ({ key: nextKey.current++, item: structuredClone(item) }));
  const items = useMemo(() => rows.map((row) => row.item), [rows]);

  const open = async (name: string) => {
    opening.current = name;
    setSelected(name);
    setSaved(null);
    setRows([]);
    setDetailError(null);
    setActionError(null);
    setSavedNotice(false);
    setEditing(null);
    setShown(PAGE);
    try {
      const dto = await studio.datasets.get(name);
      if (opening.current !== name) return;
      setSaved(dto);
      setRows(toRows(dto.items));
    } catch (e) {
      if (opening.current === name) setDetailError(errorMessage(e));
    }
  };

  const updateItem = (key: number, patch: Partial<DatasetItem>) => {
    setSavedNotice(false);
    setRows((old) => old.map((row) => (row.key === key ? { key, item: { ...row.item, ...patch } } : row)));
  };

  const removeItem = (key: number) => {
    setSavedNotice(false);
    setEditing(null);
    setRows((old) => old.filter((row) => row.key !== key));
  };

  const addItem = () => {
    if (!saved) return;
    setSavedNotice(false);
    const key = nextKey.current++;
    setRows((old) => [...old, { key, item: blankItem(saved.kind) }]);
    setShown((s) => Math.max(s, rows.length + 1));
    setEditing(key);
  };

  const discard = () => {
    if (!saved) return;
    setRows(toRows(saved.items));
    setEditing(null);
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
      await datasets.refresh();
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
      opening.current = null;
      setSelected(null);
      setSaved(null);
      setRows([]);
      await datasets.refresh();
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
      setRemoved(null);
      await datasets.refresh();
      await open(removed.name);
    } catch (e) {
      datasets.setError(errorMessage(e));
    }
  };

  return {
    selected,
    saved,
    rows,
    dirty: saved !== null && !sameItems(saved.items, items),
    detailError,
    actionError,
    savedNotice,
    busy,
    editing,
    setEditing,
    shown,
    showMore: () => setShown((s) => s + PAGE),
    removed,
    dismissRemoved: () => setRemoved(null),
    open,
    updateItem,
    removeItem,
    addItem,
    discard,
    save,
    remove,
    undoRemove,
  };
}

export type DatasetEditor = ReturnType<typeof useDatasetEditor>;
