import { describe, expect, it } from 'vitest';

import { createLexicalRetriever } from '../../src/main/engine/retrieval/lexicalRetriever.js';

interface Example {
  id: string;
  query: string;
}

const examples: Example[] = [
  { id: 'bread', query: 'How do I bake sourdough bread at home?' },
  { id: 'python', query: 'How do I reverse a list in Python?' },
  { id: 'poem', query: 'Write a short poem about the sea.' },
  { id: 'capital', query: 'What is the capital of France?' },
  { id: 'cake', query: 'Give me a recipe for chocolate cake.' },
  { id: 'pasta', query: 'How long should I boil fresh pasta?' },
];

const ids = (items: Example[]): string[] => items.map((item) => item.id);

describe('createLexicalRetriever', () => {
  it('ranks the example sharing the rarest words first', async () => {
    const retriever = createLexicalRetriever(examples);
    expect(ids(await retriever.topK('Can you help me bake bread?', 1))).toEqual(['bread']);
    expect(ids(await retriever.topK('What is the capital city of Italy?', 1))).toEqual(['capital']);
    expect(ids(await retriever.topK('reverse a Python LIST', 2))[0]).toBe('python');
  });

  it('scores more shared words higher and breaks ties by original order', async () => {
    const retriever = createLexicalRetriever(examples);
    // "how do I" appears in bread, python and pasta; "python" only in python.
    expect(ids(await retriever.topK('how do I use python', 3))).toEqual(['python', 'bread', 'pasta']);
    // Same query twice: the earlier one comes first.
    const twins = createLexicalRetriever([
      { id: 'first', query: 'sort numbers' },
      { id: 'second', query: 'sort numbers' },
      { id: 'other', query: 'tell a joke' },
    ]);
    expect(ids(await twins.topK('sort numbers', 3))).toEqual(['first', 'second', 'other']);
  });

  it('returns at most k items and nothing for k <= 0', async () => {
    const retriever = createLexicalRetriever(examples);
    expect(await retriever.topK('bread', 0)).toEqual([]);
    expect(await retriever.topK('bread', -3)).toEqual([]);
    expect(await retriever.topK('bread', Number.NaN)).toEqual([]);
    expect(await retriever.topK('bread', 2)).toHaveLength(2);
    expect(await retriever.topK('bread', 2.7)).toHaveLength(2);
    const all = await retriever.topK('bread', 100);
    expect(all).toHaveLength(examples.length);
    expect(new Set(ids(all)).size).toBe(examples.length);
    expect(await retriever.topK('bread', Number.POSITIVE_INFINITY)).toHaveLength(examples.length);
    expect(await createLexicalRetriever<Example>([]).topK('bread', 3)).toEqual([]);
  });

  it('still returns k items when the query shares no word with any example', async () => {
    const retriever = createLexicalRetriever(examples);
    expect(ids(await retriever.topK('zxqv plorf', 3))).toEqual(['bread', 'python', 'poem']);
    expect(ids(await retriever.topK('', 2))).toEqual(['bread', 'python']);
    expect(ids(await retriever.topK('?!', 2))).toEqual(['bread', 'python']);
  });

  it('fills with the unmatched examples in original order after the scored ones', async () => {
    const retriever = createLexicalRetriever(examples);
    expect(ids(await retriever.topK('chocolate', 4))).toEqual(['cake', 'bread', 'python', 'poem']);
  });

  it('returns the original objects', async () => {
    const retriever = createLexicalRetriever(examples);
    const [best] = await retriever.topK('chocolate cake', 1);
    expect(best).toBe(examples[4]);
  });

  it('is deterministic across calls and instances, and ignores later changes to the input array', async () => {
    const items = [...examples];
    const a = createLexicalRetriever(items);
    items.reverse();
    const b = createLexicalRetriever(examples);
    const query = 'How should I write a short recipe for fresh bread?';
    const first = ids(await a.topK(query, 5));
    for (let i = 0; i < 5; i++) {
      expect(ids(await a.topK(query, 5))).toEqual(first);
      expect(ids(await b.topK(query, 5))).toEqual(first);
    }
  });
});
