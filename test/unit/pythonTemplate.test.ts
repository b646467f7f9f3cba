// Python's string.Template.substitute and Python string literals, as just-eval's judge templates
// need them. Every expected value is written out from Python's documentation (the string module's
// "Template strings" section and the lexical analysis of string literals), not from this code.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is Python's placeholder syntax here, on purpose
import { describe, expect, it } from 'vitest';
import { assignedString } from '../../src/main/experiments/pythonLiteral.js';
import { placeholders, substitute, TemplateError } from '../../src/main/experiments/pythonTemplate.js';

const fails = (template: string, mapping: Record<string, string>) => {
  try {
    substitute(template, mapping);
  } catch (error) {
    if (error instanceof TemplateError) return `${error.message}`;
    throw error;
  }
  throw new Error('no error');
};

describe("Python's string.Template.substitute", () => {
  it('replaces $name and ${name}, and $$ is one $ (the documentation’s examples)', () => {
    expect(substitute('$who likes $what', { who: 'tim', what: 'kung pao' })).toBe('tim likes kung pao');
    expect(substitute('${noun}ification', { noun: 'Bad' })).toBe('Badification');
    expect(substitute('$$who costs $$5', { who: 'x' })).toBe('$who costs $5');
    // A name is the longest ASCII identifier after the $, either case; what follows it stays.
    expect(substitute("$who's $Who_2.", { who: 'tim', Who_2: 'TIM' })).toBe("tim's TIM.");
  });

  it('never rescans the text it put in', () => {
    expect(
      substitute('Q: ${instruction}\nA: ${candidate}', {
        instruction: 'Say $candidate, ${candidate} or $$',
        candidate: 'ok',
      }),
    ).toBe('Q: Say $candidate, ${candidate} or $$\nA: ok');
  });

  it("raises Python's KeyError for a placeholder it is not given", () => {
    // The documentation: Template('$who likes $what').substitute(d) with d = dict(who='tim') → KeyError: 'what'
    expect(fails('$who likes $what', { who: 'tim' })).toBe("KeyError: 'what'");
    expect(fails('${instructions}', { instruction: 'q' })).toBe("KeyError: 'instructions'");
    // A name runs on through letters, digits and underscores.
    expect(fails('$instruction_2', { instruction: 'q' })).toBe("KeyError: 'instruction_2'");
    // Inherited object properties are not a mapping's keys.
    expect(fails('$constructor', {})).toBe("KeyError: 'constructor'");
  });

  it("raises Python's ValueError, with the $'s line and column, for a $ that starts no placeholder", () => {
    // The documentation: Template('Give $who $100').substitute(d) → ValueError: Invalid placeholder in string: line 1, col 11
    expect(fails('Give $who $100', { who: 'tim' })).toBe('ValueError: Invalid placeholder in string: line 1, col 11');
    expect(fails('$', {})).toBe('ValueError: Invalid placeholder in string: line 1, col 1');
    expect(fails('costs 5$', {})).toBe('ValueError: Invalid placeholder in string: line 1, col 8');
    expect(fails('a\nb\n  ${1}', {})).toBe('ValueError: Invalid placeholder in string: line 3, col 3');
    // \r\n is one line break; the column counts characters, not UTF-16 units.
    expect(fails('x\r\n😀 $ ', {})).toBe('ValueError: Invalid placeholder in string: line 2, col 3');
    expect(fails('${ name}', { name: 'n' })).toBe('ValueError: Invalid placeholder in string: line 1, col 1');
    expect(fails('${name', { name: 'n' })).toBe('ValueError: Invalid placeholder in string: line 1, col 1');
    // Identifiers are ASCII only.
    expect(fails('$é', {})).toBe('ValueError: Invalid placeholder in string: line 1, col 1');
  });

  it('lists the placeholders in order, and raises the same ValueError', () => {
    expect(placeholders('${instruction} $$x $candidate ${instruction}')).toEqual([
      'instruction',
      'candidate',
      'instruction',
    ]);
    expect(() => placeholders('ok $ no')).toThrow('ValueError: Invalid placeholder in string: line 1, col 4');
  });
});

describe('a string literal assigned in a Python file', () => {
  it('reads a triple-quoted literal as Python does: a backslash at a line end joins the lines, escapes are decoded', () => {
    const source = 'import x\nNAME = """\\\nline one\\n\\ttab \\x41\\u00e9 \\\\ \\" \\d\nline two"""\nOTHER = 1\n';
    expect(assignedString(source, 'NAME', 'f.py')).toBe('line one\n\ttab Aé \\ " \\d\nline two');
    expect(assignedString("NAME = 'a\\'b'", 'NAME', 'f.py')).toBe("a'b");
    // A raw literal keeps its backslashes.
    expect(assignedString('NAME = r"""a\\nb"""', 'NAME', 'f.py')).toBe('a\\nb');
    // CRLF source lines read as LF, as Python reads source.
    expect(assignedString('NAME = """a\r\nb"""\r\n', 'NAME', 'f.py')).toBe('a\nb');
  });

  it('refuses what is not such a file: an HTML page, a cut file, another name, a broken escape', () => {
    expect(() => assignedString('<!DOCTYPE html><html><body>Not found</body></html>', 'NAME', 'u')).toThrow(
      'u: no string literal is assigned to NAME',
    );
    expect(() => assignedString('NAME = """\\\nPlease act as an impartial judge', 'NAME', 'u')).toThrow(
      'u: the string literal of NAME never ends (the file is cut)',
    );
    expect(() => assignedString('OTHER = """x"""', 'NAME', 'u')).toThrow('no string literal is assigned to NAME');
    expect(() => assignedString('NAME = Template("x")', 'NAME', 'u')).toThrow('no string literal is assigned to NAME');
    expect(() => assignedString('NAME = "a\nb"', 'NAME', 'u')).toThrow('ends at its line without its closing quote');
    expect(() => assignedString('NAME = """\\x4"""', 'NAME', 'u')).toThrow('truncated \\x escape');
    expect(() => assignedString('NAME = """\\N{BULLET}"""', 'NAME', 'u')).toThrow('named escape');
  });
});
