// llama.cpp's `error:` line inside a 200 event stream becomes the `data: {"error": …}` event the
// openai client throws; everything else passes through byte for byte.
import { describe, expect, it } from 'vitest';
import { withStreamErrors } from '../../src/plugins/openai-compatible/sseErrors.js';

async function through(chunks: string[]): Promise<string> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
  return new Response(withStreamErrors(source)).text();
}

describe('withStreamErrors', () => {
  it('rewrites an error line, also one split across chunks', async () => {
    const out = await through([
      'data: {"choices":[]}\n\nerr',
      'or: {"code":500,"message":"input prompt is too big compared to KV size","type":"server_error"}\n\n',
      'data: [DONE]\n\n',
    ]);
    expect(out).toBe(
      'data: {"choices":[]}\n\n' +
        'data: {"error":{"code":500,"message":"input prompt is too big compared to KV size","type":"server_error"}}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it('keeps an error line that is not JSON as the message, and a last line without a newline', async () => {
    expect(await through(['error: out of memory\r\n\r\n'])).toBe('data: {"error":{"message":"out of memory"}}\n\r\n');
    expect(await through(['data: {"x":1}\n\ndata: {"y"', ':2}'])).toBe('data: {"x":1}\n\ndata: {"y":2}');
  });

  it('leaves "error:" inside a data line alone', async () => {
    const line = 'data: {"choices":[{"delta":{"content":"error: none"}}]}\n\n';
    expect(await through([line])).toBe(line);
  });
});
