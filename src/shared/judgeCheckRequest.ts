// What a judge check asks for (README "Can the judge be trusted?"), checked where it enters: the
// CLI's options and the StudioApi's judgeChecks methods. A judge is named by a backend of the
// experiment's config (its own judge, a target) or else by a saved connection.
import { z } from 'zod';
import { seedSchema, wholeNumber } from './runConfigSchema.js';
import { isRecordKey, isSafeName, SAFE_NAME_RULE } from './safeName.js';

/** Sizes a check may have: it is a probe before an experiment, not one. */
export const JUDGE_CHECK_LIMITS = { times: 20, sample: 1000 } as const;

const judgeName = z.string().min(1).refine(isRecordKey, 'expected a name other than "__proto__"');
const sample = wholeNumber(1, JUDGE_CHECK_LIMITS.sample).default(10);

export const judgeCheckSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('variance'),
    /** Default: the experiment's own judge. */
    judge: judgeName.optional(),
    times: wholeNumber(2, JUDGE_CHECK_LIMITS.times).default(3),
    sample,
    seed: seedSchema.default(0),
  }),
  z.object({
    kind: z.literal('agreement'),
    judges: z.tuple([judgeName, judgeName], { error: 'expected two judges (A,B)' }),
    sample,
    seed: seedSchema.default(0),
  }),
]);

export type JudgeCheckSpec = z.infer<typeof judgeCheckSpecSchema>;

/** The studio's form: a check on one of its experiments, by id. */
export const judgeCheckRequestSchema = z.intersection(
  z.object({ experiment: z.string().min(1).refine(isSafeName, `expected ${SAFE_NAME_RULE}`) }),
  judgeCheckSpecSchema,
);

export type JudgeCheckRequest = z.input<typeof judgeCheckRequestSchema>;
