// Errors a server writes inside a 200 event stream. llama.cpp's server writes an `error: {…}`
// line, a field the SSE spec and the openai client's decoder ignore, so the reply would look like
// a stream cut short. This rewrites such a line into `data: {"error": {…}}`, which the client
// throws as an APIError with the server's words. Cheap on the common path: each block of complete
// lines is searched once, natively, for "error:"; only a block that holds one is decoded.

const ERROR_FIELD = 'error:';
const NEWLINE = 0x0a;

export function withStreamErrors(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  // Bytes after the last newline wait for the rest of their line (a decoder cannot use them yet).
  let pending: Uint8Array = new Uint8Array(0);
  const release = (bytes: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): void => {
    if (bytes.length === 0) return;
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    controller.enqueue(view.indexOf(ERROR_FIELD) === -1 ? bytes : rewrite(view.toString('utf8')));
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const bytes = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        const end = bytes.lastIndexOf(NEWLINE) + 1;
        pending = bytes.slice(end);
        release(bytes.subarray(0, end), controller);
      },
      flush(controller) {
        release(pending, controller);
      },
    }),
  );
}

function rewrite(text: string): Uint8Array {
  const lines = text.split('\n').map((line) => {
    if (!line.startsWith(ERROR_FIELD)) return line;
    const payload = line.slice(ERROR_FIELD.length).trim();
    return `data: ${JSON.stringify({ error: errorObject(payload) })}`;
  });
  return Buffer.from(lines.join('\n'), 'utf8');
}

function errorObject(payload: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
    return { message: typeof parsed === 'string' ? parsed : payload };
  } catch {
    return { message: payload };
  }
}
