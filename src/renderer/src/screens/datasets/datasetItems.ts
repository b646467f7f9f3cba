// Pure helpers of the Datasets screen: the kinds, names from file names, and what a row shows.
import type { DatasetItem, DatasetKind } from '../../../../shared/studioApi';

// A label for every kind the API knows (a new kind fails the type check until it has one).
const KIND_LABELS: Record<DatasetKind, string> = {
  'seed-queries': 'Seed queries',
  'icl-examples': 'ICL examples',
  'eval-set': 'Evaluation set',
};

export const KINDS = Object.entries(KIND_LABELS).map(([value, label]) => ({ value: value as DatasetKind, label }));

/** A dataset name the service accepts (letters, digits, '.', '_', '-'), from a file name. */
export function nameFromFile(fileName: string): string {
  const stem = fileName.replace(/\.(jsonl|json|txt)$/i, '');
  return stem.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'dataset';
}

/** What the preview shows beside a query: its category and kind, or an evaluation item's split and tags. */
export function itemLabels(item: DatasetItem): string {
  const tags = Object.entries(item.tags ?? {}).map(([dimension, values]) => `${dimension}: ${values.join(', ')}`);
  return [item.category, item.kind, item.split, ...tags].filter(Boolean).join(' / ');
}

export function sameItems(a: DatasetItem[], b: DatasetItem[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** An empty row of a dataset of this kind. */
export function blankItem(kind: DatasetKind): DatasetItem {
  if (kind === 'icl-examples') return { query: '', answer: '' };
  if (kind === 'eval-set') return { query: '', split: 'regular' };
  return { query: '' };
}
