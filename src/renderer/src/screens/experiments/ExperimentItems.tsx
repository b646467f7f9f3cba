// Answers item by item: the experiment's items as a table (filtered by split and category,
// searched in the instruction and the answers, ordered by the score difference between two
// setups), read from the service page by page and again as more answers are judged; opening an
// item shows every setup × target answer with the judge's score and reason per aspect.
import { useState } from 'react';
import type { StudioApi } from '../../../../shared/studioApi';
import { formatScore } from '../../shell/format';
import { DamagedLines } from './DamagedLines';
import { ItemAnswers } from './ItemAnswers';
import { ItemFiltersBar } from './ItemFiltersBar';
import { ITEMS_PER_PAGE, type ItemFilters, initialFilters, itemQuery } from './itemFilters';
import { signed } from './resultModel';
import { useExperimentItems } from './useExperimentItems';
import { useThrottled } from './useThrottled';

interface Props {
  studio: StudioApi;
  id: string;
  setups: string[];
  baseline?: string;
  /** Grows as answers are judged: the table is read again (at most every REFRESH_MS). */
  version: number;
}

/** What the scores mean, as experiments/itemTable.ts computes them. */
const SCORE_RULE =
  "A setup's score on an item: the mean over its targets of each answer's mean over its aspects (N/A left out, as in the category tables). Δ = A − B over the targets where both have a score. Unjudged, failed and not yet judged answers have no score; items without a Δ come last.";

/** A running experiment's items are read again at most this often. */
const REFRESH_MS = 2000;

export function ExperimentItems({ studio, id, setups, baseline, version: judged }: Props) {
  const version = useThrottled(judged, REFRESH_MS);
  const [filters, setFilters] = useState<ItemFilters>(() => initialFilters(setups, baseline));
  const [offset, setOffset] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const { page, error } = useExperimentItems(studio, id, itemQuery(filters, offset), version);
  const comparing = filters.a !== '' && filters.b !== '' && setups.length > 1;

  if (openId !== null)
    return <ItemAnswers studio={studio} id={id} itemId={openId} version={version} onClose={() => setOpenId(null)} />;

  return (
    <div className="experiments-items-table" data-testid="experiment-items">
      <h4>Answers item by item</h4>
      <ItemFiltersBar
        filters={filters}
        setups={setups}
        categories={page?.categories ?? {}}
        onChange={(next) => {
          setFilters(next);
          setOffset(0);
        }}
      />
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      {page && <DamagedLines damaged={page.damaged} />}
      {page?.source === 'log' && (
        <p className="muted small">Read from the experiment's log: answers appear here as they are judged.</p>
      )}
      {page && (
        <div className="experiments-table-wrap">
          <table className="experiments-table experiments-item-table" data-testid="items-table">
            <caption data-testid="items-count">
              {page.total === page.items ? `${page.items} items` : `${page.total} of ${page.items} items`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Split</th>
                <th scope="col">Categories</th>
                <th scope="col">Instruction</th>
                {page.setups.map((s) => (
                  <th key={s} scope="col" className="num">
                    {s}
                  </th>
                ))}
                {comparing && (
                  <th scope="col" className="num" title={`${filters.a} − ${filters.b}`}>
                    Δ A − B
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={row.id} data-testid="item-row" data-item={row.id}>
                  <td>
                    <button type="button" className="link" data-testid="open-item" onClick={() => setOpenId(row.id)}>
                      {row.id}
                    </button>
                  </td>
                  <td>{row.split}</td>
                  <td className="small">{Object.values(row.tags).flat().join(', ')}</td>
                  <td>
                    <div className="experiments-item-instruction">{row.instruction}</div>
                  </td>
                  {page.setups.map((s) => (
                    <td key={s} className="num" data-testid="item-score" data-setup={s}>
                      {formatScore(row.scores[s])}
                    </td>
                  ))}
                  {comparing && (
                    <td className="num" data-testid="item-difference">
                      {row.difference == null ? '–' : signed(row.difference)}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && page.total > ITEMS_PER_PAGE && (
        <div className="row small">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - ITEMS_PER_PAGE))}>
            Previous
          </button>
          <span data-testid="items-page">
            {offset + 1}–{Math.min(offset + ITEMS_PER_PAGE, page.total)} of {page.total}
          </span>
          <button
            type="button"
            disabled={offset + ITEMS_PER_PAGE >= page.total}
            onClick={() => setOffset(offset + ITEMS_PER_PAGE)}
          >
            Next
          </button>
        </div>
      )}
      <p className="muted small">{SCORE_RULE}</p>
    </div>
  );
}
