// Reading the JSON a user or another program wrote: a UTF-8 byte-order mark (as Windows editors
// save) is not part of the text, and an error names the file and the line and column where the
// JSON breaks, in one line.
import { readFileSync } from 'node:fs';

/** The text without a leading UTF-8 byte-order mark. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** "line L, column C" for a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** JSON.parse, with an error that names `where` and, when the parser says, the line and column. */
export function parseJson(text: string, where: string): unknown {
  const clean = withoutBom(text);
  try {
    return JSON.parse(clean) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const offset = /at position (\d+)/.exec(message)?.[1];
    const at = offset === undefined ? '' : ` at ${lineAndColumn(clean, Number(offset))}`;
    // V8 quotes a snippet of the text ("…" is not valid JSON), newlines and all: keep one line.
    const reason = message
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .replace(/\s+/g, ' ');
    throw new Error(`${where} is not valid JSON${at}: ${reason}`);
  }
}

/** A file's text (BOM removed), or an error that names the file and why it cannot be read. */
export function readTextFile(file: string, what = 'file'): string {
  try {
    return withoutBom(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EISDIR'
          ? 'it is a folder'
          : (code ?? (error as Error).message);
    throw new Error(`cannot read ${what} ${file}: ${why}`);
  }
}

export function readJsonFile(file: string, what = 'file'): unknown {
  return parseJson(readTextFile(file, what), `${what === 'file' ? '' : `${what} `}${file}`);
}
