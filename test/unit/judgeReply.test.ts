import { describe, expect, it } from 'vitest';
import { evalDictTemplate, interpretJudgeReply, readScore } from '../../src/main/engine/rewards/judgeReply.js';
import { interpretReply } from '../../src/main/llm/structuredOutput.js';

const aspects = ['Helpfulness', 'Critical-Thinking'];
const read = (text: string) => interpretReply(text, (v) => interpretJudgeReply(v, aspects));
const good = {
  Helpfulness: { rationale: 'direct', score: 4 },
  'Critical-Thinking': { rationale: 'shallow', score: 2 },
};

describe('reading a judge reply', () => {
  it('reads a clean reply; the reward is the mean of the aspect scores', () => {
    const r = read(JSON.stringify(good));
    expect(r).toEqual({
      ok: true,
      value: {
        reward: 3,
        ignoredKeys: [],
        scores: [
          { aspect: 'Helpfulness', score: 4, rationale: 'direct' },
          { aspect: 'Critical-Thinking', score: 2, rationale: 'shallow' },
        ],
      },
    });
  });

  it('finds the JSON in a code fence or in prose', () => {
    expect(read(`\`\`\`json\n${JSON.stringify(good)}\n\`\`\``).ok).toBe(true);
    expect(read(`Here is my evaluation:\n${JSON.stringify(good)}\nHope this helps.`).ok).toBe(true);
  });

  it('reads string and fractional scores as given, within 1–5', () => {
    const r = read(
      JSON.stringify({
        Helpfulness: { rationale: '', score: '4' },
        'Critical-Thinking': { rationale: '', score: '3.5/5' },
      }),
    );
    expect(r.ok && r.value.reward).toBe(3.75);
    expect(readScore('5 out of 5')).toEqual({ ok: true, value: 5 });
    expect(readScore(4.5)).toEqual({ ok: true, value: 4.5 });
  });

  it('keeps N/A as N/A and leaves it out of the mean', () => {
    const r = read(
      JSON.stringify({
        Helpfulness: { rationale: '', score: 'N/A' },
        'Critical-Thinking': { rationale: '', score: 2 },
      }),
    );
    expect(r.ok && r.value.scores[0]!.score).toBeNull();
    expect(r.ok && r.value.reward).toBe(2);
  });

  it('refuses a reply where every aspect is N/A rather than invent a score', () => {
    const r = read(JSON.stringify({ Helpfulness: { score: 'N/A' }, 'Critical-Thinking': { score: 'n/a' } }));
    expect(r).toEqual({ ok: false, error: 'every aspect was judged N/A: there is no score to use' });
  });

  it('matches aspect names loosely and ignores aspects nobody asked for', () => {
    const r = read(
      JSON.stringify({ helpfulness: { score: 5 }, 'critical thinking': { score: 3 }, Vibes: { score: 1 } }),
    );
    expect(r.ok && r.value.reward).toBe(4);
    expect(r.ok && r.value.ignoredKeys).toEqual(['Vibes']);
  });

  it('rejects missing aspects, missing scores, out-of-range and non-numeric scores', () => {
    expect(read(JSON.stringify({ Helpfulness: { score: 4 } }))).toEqual({
      ok: false,
      error: 'aspect "Critical-Thinking" is missing',
    });
    expect(read(JSON.stringify({ Helpfulness: { rationale: 'x' }, 'Critical-Thinking': { score: 2 } }))).toEqual({
      ok: false,
      error: 'Helpfulness: score is missing',
    });
    expect(read(JSON.stringify({ Helpfulness: { score: 7 }, 'Critical-Thinking': { score: 0 } }))).toEqual({
      ok: false,
      error: 'Helpfulness: score 7 is outside 1–5; Critical-Thinking: score 0 is outside 1–5',
    });
    expect(read(JSON.stringify({ Helpfulness: { score: 'great' }, 'Critical-Thinking': { score: 2 } })).ok).toBe(false);
  });

  it('repairs a reply cut off after its scores, and rejects one cut off before them', () => {
    const cutLate =
      '{"Helpfulness": {"score": 4, "rationale": "fine"}, "Critical-Thinking": {"score": 2, "rationale": "it ignores the prem';
    expect(read(cutLate).ok).toBe(true);
    const cutEarly = '{"Helpfulness": {"rationale": "fine", "score": 4}, "Critical-Thinking": {"rationale": "it ign';
    expect(read(cutEarly)).toEqual({ ok: false, error: 'Critical-Thinking: score is missing' });
  });

  it('rejects replies with no JSON at all', () => {
    expect(read('I would rate this response highly.')).toEqual({
      ok: false,
      error: 'the reply contains no JSON object',
    });
  });

  it('writes the EVAL_DICT block of appendix E.1.1 for the selected aspects', () => {
    expect(JSON.parse(evalDictTemplate(['Depth']))).toEqual({
      Depth: { rationale: '[your thoughts on the depth of the response]', score: '[your depth score]' },
    });
  });
});
