// Reads what went wrong out of an error's cause chain. fetch wraps the socket error in `cause`,
// and Node's happy eyeballs wraps one error per address in an AggregateError's `errors`, so the
// useful part ("connect ECONNREFUSED 127.0.0.1:9", a code) sits a few levels down.

/** An error's message, or the thrown value as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface Link {
  error: { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  depth: number;
}

const MAX_DEPTH = 8;

/** The error and everything under it, depth first: first an AggregateError's entries, then the cause. */
function chain(error: unknown, depth = 0): Link[] {
  if (depth >= MAX_DEPTH || typeof error !== 'object' || error === null) return [];
  const link = { error: error as Link['error'], depth };
  const entries = Array.isArray(link.error.errors) ? link.error.errors : [];
  return [link, ...entries.flatMap((e: unknown) => chain(e, depth + 1)), ...chain(link.error.cause, depth + 1)];
}

/** Every error code in the chain ('ECONNREFUSED', 'UND_ERR_SOCKET', …), outermost first. */
export function errorCodes(error: unknown): string[] {
  return chain(error).flatMap(({ error: e }) => (typeof e.code === 'string' ? [e.code] : []));
}

// Wrappers' messages that say nothing about the cause.
const GENERIC = new Set(['Connection error.', 'fetch failed', 'terminated']);

/**
 * The most specific reason in the chain: the message (or code) of the deepest error that has a
 * code, the first of those at that depth; else the first message that is not a wrapper's.
 */
export function innermostReason(error: unknown): string {
  let coded: Link | undefined;
  let described: string | undefined;
  for (const link of chain(error)) {
    const message = typeof link.error.message === 'string' ? link.error.message : '';
    if (typeof link.error.code === 'string') {
      if (!coded || link.depth > coded.depth) coded = link;
    } else if (message && !GENERIC.has(message)) described ??= message;
  }
  if (coded) {
    const { message, code } = coded.error;
    return typeof message === 'string' && message ? message : (code as string);
  }
  return described ?? errorText(error);
}
