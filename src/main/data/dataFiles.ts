// Reads seed queries and ICL examples in the formats the paper's data uses and in the
// project's own, so users can bring either:
//   seed queries: JSON array of strings, of {query, category?} (project, LIMA subsample),
//                 of {instruction, input?} (Alpaca); JSONL of the same; .txt one query a line
//   ICL examples: JSON array of {query, answer, kind?} (project), or the paper's object
//                 {query: "<START>\n answer \n<END>"}
import path from 'node:path';
import type { IclExample, SeedQuery } from '../engine/types.js';
import { parseJson, readTextFile, withoutBom } from './jsonFiles.js';

export function readJsonOrLines(file: string): unknown {
  return parseJsonOrLines(readTextFile(file), file);
}

/** JSON, or JSON Lines when `where` (a file name or URL) ends in .jsonl; errors name `where`. */
export function parseJsonOrLines(text: string, where: string): unknown {
  if (where.endsWith('.jsonl')) {
    return withoutBom(text)
      .split('\n')
      .flatMap((line, i) => (line.trim() ? [parseJson(line, `${where} line ${i + 1}`)] : []));
  }
  return parseJson(text, where);
}

function seedFromItem(item: unknown, where: string): SeedQuery {
  if (typeof item === 'string') return { query: item };
  if (item && typeof item === 'object') {
    const r = item as Record<string, unknown>;
    const category = typeof r.category === 'string' ? r.category : undefined;
    if (typeof r.query === 'string') return { query: r.query, category };
    if (typeof r.instruction === 'string') {
      const input = typeof r.input === 'string' && r.input.trim() ? `\n\n${r.input}` : '';
      return { query: `${r.instruction}${input}`, category };
    }
    if (typeof r.prompt === 'string') return { query: r.prompt, category };
  }
  throw new Error(`${where}: expected a string or an object with "query", "instruction" or "prompt"`);
}

export function readSeedQueries(file: string): SeedQuery[] {
  const items: unknown[] =
    path.extname(file) === '.txt'
      ? readTextFile(file)
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : (() => {
          const data = readJsonOrLines(file);
          if (!Array.isArray(data)) throw new Error(`${file}: expected a list of seed queries`);
          return data;
        })();
  const queries = items.map((item, i) => seedFromItem(item, `${file} item ${i + 1}`)).filter((q) => q.query.trim());
  if (queries.length === 0) throw new Error(`${file} holds no seed query`);
  return queries;
}

/** The paper's answers are wrapped in <START>/<END> markers; the project stores bare answers. */
export function stripAnswerMarkers(answer: string): string {
  return answer
    .replace(/^\s*<START>\s*/, '')
    .replace(/\s*<END>\s*$/, '')
    .trim();
}

export function readIclExamples(file: string): IclExample[] {
  const data = readJsonOrLines(file);
  let examples: IclExample[];
  if (Array.isArray(data)) {
    examples = data.map((item, i) => {
      const r = item as Record<string, unknown> | null;
      if (!r || typeof r.query !== 'string' || typeof r.answer !== 'string') {
        throw new Error(`${file} item ${i + 1}: expected {"query": string, "answer": string}`);
      }
      return {
        query: r.query,
        answer: stripAnswerMarkers(r.answer),
        ...(typeof r.kind === 'string' ? { kind: r.kind } : {}),
      };
    });
  } else if (data && typeof data === 'object') {
    examples = Object.entries(data as Record<string, unknown>).map(([query, answer]) => {
      if (typeof answer !== 'string') throw new Error(`${file}: the answer to "${query.slice(0, 40)}" is not a string`);
      return { query, answer: stripAnswerMarkers(answer) };
    });
  } else {
    throw new Error(`${file}: expected a list of {query, answer} or an object of query → answer`);
  }
  if (examples.length === 0) throw new Error(`${file} holds no ICL example`);
  return examples;
}

/** Seeded Fisher–Yates (mulberry32), so a shuffled seed order is reproducible and resumable. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
