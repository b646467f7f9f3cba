// Python's `string.Template(template).substitute(mapping)`, exactly as just-eval fills its judge
// templates. No npm library reproduces Python's Template (its `$$` escape, `$name` and `${name}`
// with Python's identifier pattern, the KeyError and the ValueError with line and column), so it
// is written out here from CPython's Lib/string.py:
//   \$(?: (?P<escaped>\$) | (?P<named>id) | {(?P<braced>id)} | (?P<invalid>) ),  id = (?a:[_a-z][_a-z0-9]*), re.IGNORECASE
// Replacement is one pass: text put in is never scanned again.

/** Python's identifier pattern of Template (ASCII, either case), in its four alternatives, in Python's order. */
const PATTERN = /\$(?:(\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\{([_a-zA-Z][_a-zA-Z0-9]*)\}|())/g;

/** What Python raises: KeyError for a placeholder the mapping lacks, ValueError for a `$` that starts no placeholder. */
export class TemplateError extends Error {
  constructor(
    readonly pythonError: 'KeyError' | 'ValueError',
    message: string,
  ) {
    super(message);
  }
}

/** Python's str.splitlines boundaries (`\r\n` is one). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python counts \x1c–\x1e as line breaks too
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Python's message for an ill-formed `$`: line and column (in code points, 1-based) of the `$`. */
function invalidPlaceholder(template: string, afterDollar: number): TemplateError {
  const before = template.slice(0, afterDollar);
  let line = 1;
  let lineStart = 0;
  for (const match of before.matchAll(LINE_BREAK)) {
    line += 1;
    lineStart = match.index + match[0].length;
  }
  const column = Array.from(before.slice(lineStart)).length;
  return new TemplateError('ValueError', `ValueError: Invalid placeholder in string: line ${line}, col ${column}`);
}

/** The template's placeholders in order of appearance (repeats kept); throws Python's ValueError on an ill-formed `$`. */
export function placeholders(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PATTERN)) {
    const [, , named, braced] = match;
    const name = named ?? braced;
    if (name !== undefined) names.push(name);
    else if (match[1] === undefined) throw invalidPlaceholder(template, match.index + 1);
  }
  return names;
}

/** `Template(template).substitute(**mapping)`: throws TemplateError where Python raises. */
export function substitute(template: string, mapping: Readonly<Record<string, string>>): string {
  return template.replace(PATTERN, (_match, escaped: string | undefined, named, braced, _invalid, offset: number) => {
    if (escaped !== undefined) return '$';
    const name: string | undefined = named ?? braced;
    if (name === undefined) throw invalidPlaceholder(template, offset + 1);
    if (!Object.hasOwn(mapping, name)) throw new TemplateError('KeyError', `KeyError: '${name}'`);
    return mapping[name]!;
  });
}
