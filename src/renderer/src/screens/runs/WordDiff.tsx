// A node's prompt as a word diff against its parent's (the whole prompt where there is no parent).
import { diffWords } from 'diff';
import { useMemo } from 'react';

export function WordDiff({ before, after }: { before: string | null; after: string }) {
  const parts = useMemo(() => (before === null ? null : diffWords(before, after)), [before, after]);
  return (
    <div className="node-diff" data-testid="node-diff">
      {parts === null ? (
        <span>{after}</span>
      ) : (
        parts.map((part, i) => {
          const Tag = part.added ? 'ins' : part.removed ? 'del' : 'span';
          const className = part.added ? 'node-diff__ins' : part.removed ? 'node-diff__del' : undefined;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one diff, computed whole and never reordered
            <Tag key={i} className={className}>
              {part.value}
            </Tag>
          );
        })
      )}
    </div>
  );
}
