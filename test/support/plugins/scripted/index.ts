// A user plugin for API tests: valid, deterministic answers to every DRPO meta-prompt after a
// fixed latency, so runs through the studio's API finish in moments.
import type { BackendPlugin } from '../../../../src/plugins/contract.js';
import {
  judgedAspects,
  judgeReply,
  ScriptedModel,
  selectionReply,
  transitionReply,
} from '../../../helpers/scriptedModel.js';

const plugin: BackendPlugin = {
  async create(settings, context) {
    let sample = 0;
    return new ScriptedModel(
      (req) => {
        // A plugin may log in the middle of a run (a workaround it had to take), as often as it meets the quirk.
        if (req.purpose === 'transition' && settings.warnOnRewrite)
          context.log(`gave up JSON schemas after the first rewrite request (${String(settings.warnOnRewrite)})`);
        switch (req.purpose) {
          case 'selection':
            return selectionReply(['Helpfulness', 'Clarity']);
          case 'judgement': {
            // An evaluation item may script its own judgment: SCORES{"aspect": 4, …}END in its
            // instruction is answered as given; SCORES{}END gets a reply that is not JSON.
            const scripted = /SCORES(\{[\s\S]*?\})END/.exec(req.text)?.[1];
            if (scripted === '{}') return 'I would rather not score this.';
            if (scripted)
              return JSON.stringify(
                Object.fromEntries(
                  Object.entries(JSON.parse(scripted) as Record<string, unknown>).map(([a, score]) => [
                    a,
                    { reason: 'scripted', score },
                  ]),
                ),
              );
            return judgeReply(
              Object.fromEntries(judgedAspects(req.text).map((a, i) => [a, 1 + ((req.text.length + i) % 4)])),
            );
          }
          case 'transition':
            sample += 1;
            return transitionReply(`Prompt version ${sample}: be helpful and clear.`);
          case 'icl-transition':
            sample += 1;
            return JSON.stringify({ analysis: 'a', thought: 't', new_answer: `Better answer ${sample}.` });
          default:
            return `An answer of ${req.text.length % 50} words.`;
        }
      },
      { latencyMs: Number(settings.latencyMs) },
    );
  },
};
export default plugin;
