// The string assigned to a name in a Python source file (`NAME = """…"""`), decoded as Python
// decodes a string literal: how just-eval's judge templates are read from its repository's
// `_MULTI_SCORE_TEMPLATE.py` and `_SAFETY_SCORE_TEMPLATE.py` without running any Python.
// Anything else there (an HTML page, a cut file, another shape of code) is an error, never a template.

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Python's escape sequences of a (non-raw) str literal; an unknown escape keeps its backslash, as Python does. */
function decodeEscapes(body: string, where: string): string {
  return body.replace(
    /\\(x[\s\S]{0,2}|u[\s\S]{0,4}|U[\s\S]{0,8}|N\{[^}]*\}?|[0-7]{1,3}|[\s\S])/g,
    (whole, rest: string) => {
      const head = rest[0]!;
      if (head in SIMPLE_ESCAPES && rest.length === 1) return SIMPLE_ESCAPES[head]!;
      if (/^[0-7]/.test(head)) return String.fromCodePoint(Number.parseInt(rest, 8));
      const hexLength = { x: 2, u: 4, U: 8 }[head];
      if (hexLength !== undefined && rest.length > 1) {
        const hex = rest.slice(1);
        if (hex.length !== hexLength || !/^[0-9a-fA-F]+$/.test(hex))
          throw new Error(`${where}: truncated \\${head} escape in the string literal`);
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) throw new Error(`${where}: \\${rest} is not a character`);
        return String.fromCodePoint(code);
      }
      if (head === 'N' && rest.length > 1)
        throw new Error(`${where}: the string literal uses a named escape (\\N{…}), which is not read here`);
      return whole;
    },
  );
}

/** The value of the first string literal assigned to `name` at the top level of `source`. */
export function assignedString(source: string, name: string, where: string): string {
  // Python reads source lines with universal newlines.
  const text = source.replace(/\r\n?/g, '\n');
  const assignment = new RegExp(`^${name}[ \\t]*=[ \\t]*([rRuU]?)("""|'''|"|')`, 'm').exec(text);
  if (!assignment)
    throw new Error(`${where}: no string literal is assigned to ${name} (is it just-eval's Python file?)`);
  const [, prefix, quote] = assignment;
  const start = assignment.index + assignment[0].length;
  let i = start;
  for (;;) {
    if (i >= text.length) throw new Error(`${where}: the string literal of ${name} never ends (the file is cut)`);
    const ch = text[i]!;
    if (ch === '\\') i += 2;
    else if (text.startsWith(quote!, i)) break;
    else if (ch === '\n' && quote!.length === 1)
      throw new Error(`${where}: the string literal of ${name} ends at its line without its closing quote`);
    else i += 1;
  }
  const body = text.slice(start, i);
  return prefix === 'r' || prefix === 'R' ? body : decodeEscapes(body, where);
}
