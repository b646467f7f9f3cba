// The studio's judge checks (README "Can the judge be trusted?") on its own experiments, by id:
// the estimate, and the check itself streamed as progress then its result. Unsubscribing cancels.
import path from 'node:path';
import { judgeCheckRequestSchema } from '../../shared/judgeCheckRequest.js';
import type { StudioApi } from '../../shared/studioApi.js';
import { planJudgeCheck, runJudgeCheck } from '../judgeCheck/judgeCheck.js';
import type { SecretSource } from '../plugins/pluginSettings.js';

export function judgeChecks(
  experimentsDir: string,
  userDataDir: string,
  secrets?: SecretSource,
): StudioApi['judgeChecks'] {
  // The transport checked the request's shape; parsing again fills its defaults.
  const plan = (request: unknown) => {
    const { experiment, ...spec } = judgeCheckRequestSchema.parse(request);
    return planJudgeCheck(path.join(experimentsDir, experiment), spec);
  };
  return {
    estimate: async (request) => plan(request).estimate,
    run: (request, listener) => {
      const controller = new AbortController();
      void (async () => {
        try {
          const result = await runJudgeCheck(plan(request), {
            userDataDir,
            secrets,
            signal: controller.signal,
            onProgress: (done, total) => listener({ type: 'progress', done, total }),
          });
          listener({ type: 'done', result });
        } catch (error) {
          if (!controller.signal.aborted) listener({ type: 'error', error: (error as Error).message });
        }
      })();
      return () => controller.abort();
    },
  };
}
