// The beam tree's search box: what is typed highlights the matching nodes; Enter goes to the next
// match (Shift+Enter the previous one), centring and selecting it; Escape clears the search.
import { type KeyboardEvent, useState } from 'react';

interface Props {
  query: string;
  onQuery: (query: string) => void;
  matches: readonly string[];
  onGo: (id: string) => void;
}

export function TreeFind({ query, onQuery, matches, onGo }: Props) {
  // The match last gone to (−1: none yet); a new search starts again from the first.
  const [at, setAt] = useState(-1);
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && query !== '') {
      event.preventDefault();
      onQuery('');
      setAt(-1);
    }
    if (event.key !== 'Enter' || matches.length === 0) return;
    event.preventDefault();
    const step = event.shiftKey ? -1 : 1;
    const next = at < 0 && step < 0 ? matches.length - 1 : (at + step + matches.length) % matches.length;
    setAt(next);
    onGo(matches[next]!);
  };
  const shown = Math.min(at, matches.length - 1);
  return (
    <search className="tree-find">
      <input
        type="search"
        value={query}
        placeholder="Find a node: id or text"
        aria-label="Find a node by id or text (Enter: next match, Shift+Enter: previous)"
        data-testid="tree-find"
        onChange={(event) => {
          onQuery(event.target.value);
          setAt(-1);
        }}
        onKeyDown={onKeyDown}
      />
      {query.trim() !== '' && (
        <span className="runs-muted tree-find__count" role="status" data-testid="tree-find-count">
          {matches.length === 0
            ? 'no match'
            : shown < 0
              ? `${matches.length} match${matches.length === 1 ? '' : 'es'}`
              : `${shown + 1} of ${matches.length}`}
        </span>
      )}
    </search>
  );
}
