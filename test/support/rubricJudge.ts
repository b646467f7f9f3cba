// A selector and a judge behind a real OpenAI-compatible server, for trying reward criteria
// (README "Trying criteria on a query"): the judge scores each aspect by the wording the judge
// prompt gives it — 2 where that line says "strict", 4 otherwise — so an edited rubric, saved or
// not, changes the score. The selector picks `picks` (or answers prose when `picks` is
// 'unreadable'); the judge answers prose when told to be 'unreadable'. A generation request gets
// a fixed answer.
import { judgedAspects, ScriptedModel, selectionReply } from '../helpers/scriptedModel.js';
import { FakeOpenAIServer } from './fakeOpenAIServer.js';

export const GENERATED_ANSWER = 'Paris is the capital of France.';
const PROSE = 'I would rather not answer in JSON.';

/** The score this judge gives an aspect whose line in the prompt reads `line`. */
const rubricScore = (line: string) => (/strict/i.test(line) ? 2 : 4);

export interface RubricJudgeScript {
  picks: string[] | 'unreadable';
  judge?: 'unreadable';
  /** The selector takes this long to answer (a try to cancel meanwhile). */
  selectionDelayMs?: number;
}

export function rubricJudgeModel(script: RubricJudgeScript): ScriptedModel {
  return new ScriptedModel(async (req) => {
    if (req.purpose === 'repair') return PROSE;
    if (req.purpose === 'selection') {
      if (script.selectionDelayMs) await new Promise((r) => setTimeout(r, script.selectionDelayMs));
      return script.picks === 'unreadable' ? PROSE : selectionReply(script.picks);
    }
    if (req.purpose !== 'judgement') return GENERATED_ANSWER;
    if (script.judge === 'unreadable') return PROSE;
    const lines = req.text.split('\n');
    return JSON.stringify(
      Object.fromEntries(
        judgedAspects(req.text).map((aspect) => {
          const line = lines.find((l) => l.startsWith(`- ${aspect}:`)) ?? '';
          return [aspect, { rationale: `read "${line.slice(2)}"`, score: rubricScore(line) }];
        }),
      ),
    );
  });
}

/** The server; it ignores JSON schemas, so a prose reply reaches the reader as it is. */
export async function startRubricJudge(
  script: RubricJudgeScript,
): Promise<{ server: FakeOpenAIServer; model: ScriptedModel }> {
  const model = rubricJudgeModel(script);
  return { server: await FakeOpenAIServer.start(model, { quirks: { ignoreResponseFormat: true } }), model };
}
