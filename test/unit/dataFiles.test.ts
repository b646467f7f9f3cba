import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIclExamples, readSeedQueries, shuffled } from '../../src/main/data/dataFiles.js';
import { resourcePath } from '../../src/main/resourcePaths.js';

const reference = path.resolve(import.meta.dirname, '../../../shared/reference/drpo');
const tmp = mkdtempSync(path.join(tmpdir(), 'drpo-data-'));

describe('reading seed queries', () => {
  it("reads the paper's Alpaca file, joining an instruction and its input", () => {
    const queries = readSeedQueries(path.join(reference, 'alpaca_train.json'));
    expect(queries).toHaveLength(86);
    expect(queries[0]!.query).toBe('Identify five words that match the pattern given.\n\nH_AR_');
  });

  it("reads the paper's LIMA subsample with categories and its harmful queries, one a line", () => {
    const lima = readSeedQueries(path.join(reference, 'lima_subsample_train.json'));
    expect(lima).toHaveLength(52);
    expect(lima[0]).toEqual({ query: "Why aren't python nested functions called closures?", category: 'multi_turn' });
    expect(readSeedQueries(path.join(reference, 'mal_train.txt'))).toHaveLength(42);
  });

  it("reads the project's starter seeds, JSONL and plain string lists", () => {
    const starter = readSeedQueries(resourcePath('seed-queries.json'));
    expect(new Set(starter.map((q) => q.category))).toEqual(
      new Set(['general', 'creative', 'advice', 'reasoning', 'coding', 'harmful']),
    );
    writeFileSync(path.join(tmp, 'q.jsonl'), '{"query":"a"}\n{"prompt":"b"}\n');
    expect(readSeedQueries(path.join(tmp, 'q.jsonl')).map((q) => q.query)).toEqual(['a', 'b']);
    writeFileSync(path.join(tmp, 'q.json'), '["x", "y"]');
    expect(readSeedQueries(path.join(tmp, 'q.json')).map((q) => q.query)).toEqual(['x', 'y']);
  });

  it('says what is wrong with a bad file', () => {
    writeFileSync(path.join(tmp, 'bad.json'), '[{"text": 1}]');
    expect(() => readSeedQueries(path.join(tmp, 'bad.json'))).toThrow(/item 1: expected a string or an object/);
    expect(() => readSeedQueries(path.join(tmp, 'missing.json'))).toThrow(
      `cannot read file ${path.join(tmp, 'missing.json')}: it does not exist`,
    );
  });

  it('names the line and column where JSON breaks, in one line, and the line of a bad JSON Lines record', () => {
    writeFileSync(path.join(tmp, 'broken.json'), '[\n  "a",\n  "b"\n  "c"\n]');
    // Offset 17 is the quote before c: line 4, column 3.
    expect(() => readSeedQueries(path.join(tmp, 'broken.json'))).toThrow(
      `${path.join(tmp, 'broken.json')} is not valid JSON at line 4, column 3: Expected ',' or ']' after array element`,
    );
    writeFileSync(path.join(tmp, 'snippet.json'), '{\n"query": nope\n}');
    let message = '';
    try {
      readSeedQueries(path.join(tmp, 'snippet.json'));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^\S+snippet\.json is not valid JSON/);
    expect(message).not.toContain('\n');
    writeFileSync(path.join(tmp, 'gap.jsonl'), '{"query":"a"}\n\n{"query": }\n');
    expect(() => readSeedQueries(path.join(tmp, 'gap.jsonl'))).toThrow(
      `${path.join(tmp, 'gap.jsonl')} line 3 is not valid JSON`,
    );
  });

  it('accepts a UTF-8 byte-order mark at the start of a JSON, JSON Lines or text file', () => {
    const bom = '\ufeff';
    writeFileSync(path.join(tmp, 'bom.json'), `${bom}["x"]`);
    writeFileSync(path.join(tmp, 'bom.jsonl'), `${bom}{"query":"y"}\n`);
    writeFileSync(path.join(tmp, 'bom.txt'), `${bom}z\n`);
    expect(readSeedQueries(path.join(tmp, 'bom.json'))).toEqual([{ query: 'x' }]);
    expect(readSeedQueries(path.join(tmp, 'bom.jsonl'))).toEqual([{ query: 'y', category: undefined }]);
    expect(readSeedQueries(path.join(tmp, 'bom.txt'))).toEqual([{ query: 'z' }]);
  });

  it('shuffles reproducibly', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(shuffled(items, 7)).toEqual(shuffled(items, 7));
    expect(shuffled(items, 7)).not.toEqual(items);
    expect([...shuffled(items, 7)].sort((a, b) => a - b)).toEqual(items);
  });
});

describe('reading ICL examples', () => {
  it('reads the paper\'s {query: "<START>…<END>"} object without the markers', () => {
    const examples = readIclExamples(path.join(reference, 'base_icl_examples.json'));
    expect(examples).toHaveLength(16);
    for (const e of examples) {
      expect(e.answer.startsWith('<START>')).toBe(false);
      expect(e.answer.endsWith('<END>')).toBe(false);
    }
    expect(readIclExamples(path.join(reference, 'optimized_icl_examples.json'))).toHaveLength(16);
  });

  it("reads the project's starter set: half informative, half refusal", () => {
    const examples = readIclExamples(resourcePath('icl-examples.json'));
    expect(examples.filter((e) => e.kind === 'informative').length).toBe(
      examples.filter((e) => e.kind === 'refusal').length,
    );
  });
});
