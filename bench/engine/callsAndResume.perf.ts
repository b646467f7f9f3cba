// Issue 6, item 3: calls and samples per role against appendix A.5 (W·M·D optimizer samples,
// D aspect selections, W·M·D generations, W·M·D judgments) for a W=2, M=3, D=20 run; then the
// same run SIGKILLed twice at random points (the CLI in a child process, killed once its log holds
// a random number of paid calls), resumed each time, and finished: no call that had finished may
// be paid again (a call still on its way at the kill was never logged and is asked again), and the
// finished run must account for exactly the calls of the uninterrupted one.
import { describe, expect, it } from 'vitest';
import { a5SystemPromptCalls } from '../../src/main/engine/costEstimate.js';
import { ROLES } from '../../src/main/llm/callLedger.js';
import { paidKeys } from '../../test/support/cliProcess.js';
import { type Figure, writeBenchResult } from '../support/benchResults.js';
import {
  benchWorkDir,
  killAfterPaidCalls,
  loggedCallKeys,
  readRun,
  roleCounts,
  serverRun,
  startBenchServer,
  startCli,
} from '../support/serverRun.js';

const W = 2;
const M = 3;
const D = 20;
const LATENCY_MS = 20;
const A5_FORMULA = { optimizer: 'W·M·D', selector: 'D', base: 'W·M·D', judge: 'W·M·D' } as const;

describe('calls per role, and a run killed at random points and resumed', () => {
  it('stays within A.5 and re-pays no finished call', async () => {
    const options = { width: W, samples: M, depth: D, latencyMs: LATENCY_MS, concurrency: 32 };
    const whole = await serverRun(options);
    const a5 = a5SystemPromptCalls(W, M, D);
    const total = paidKeys(whole.events).length;

    // The same run, killed twice and resumed to the end, on a server of its own.
    const server = await startBenchServer(options);
    const kills: { at: number; logged: number }[] = [];
    let dir: string;
    try {
      const work = benchWorkDir(server.baseURL, options);
      let session = startCli(['optimize', '--config', 'run.json', '--user-data', 'user-data'], work);
      dir = await session.dir;
      for (let kill = 0; kill < 2; kill++) {
        const logged = loggedCallKeys(dir).length;
        const at = logged + 1 + Math.floor(Math.random() * Math.max(1, total - logged - 2));
        expect(await killAfterPaidCalls(session, at), `the run finished before its kill at ${at} calls`).toBe(true);
        kills.push({ at, logged: loggedCallKeys(dir).length });
        session = startCli(['optimize', '--resume', dir, '--user-data', 'user-data'], work);
      }
      const { code, stderr } = await session.exit;
      expect(code, stderr).toBe(0);
    } finally {
      await server.close();
    }
    const resumed = readRun(dir);
    const keys = paidKeys(resumed.events);
    const repeated = keys.length - new Set(keys).size;
    const askedAgain = server.requests.filter((r) => r.path.endsWith('/completions')).length - keys.length;

    const figures: Figure[] = ROLES.map((role) => {
      const { calls, samples } = whole.result.calls[role];
      return {
        measure: `${role} samples`,
        value: samples,
        unit: 'samples',
        target: `≤ A.5 ${A5_FORMULA[role]} = ${a5[role]}`,
        ok: samples <= a5[role],
        note: `in ${calls} calls; ${whole.result.planned[role]} samples planned`,
      };
    });
    figures.push(
      {
        measure: 'finished calls paid again after 2 kills',
        value: repeated,
        unit: 'calls',
        target: '= 0',
        ok: repeated === 0,
        note: `killed at ${kills.map((k) => k.logged).join(' and ')} of ${total} calls`,
      },
      {
        measure: 'calls on their way at a kill, asked again',
        value: askedAgain,
        unit: 'calls',
        note: 'never finished, so never logged',
      },
    );
    writeBenchResult(
      'engine-calls-and-resume',
      `Calls per role against A.5 (W=${W}, M=${M}, D=${D}); killed twice at random points and resumed`,
      figures,
      {
        a5,
        planned: whole.result.planned,
        uninterrupted: roleCounts(whole.result),
        resumed: roleCounts(resumed.result),
        kills,
        totalCalls: total,
      },
    );

    for (const role of ROLES) {
      expect(whole.result.calls[role].samples).toBeLessThanOrEqual(a5[role]);
      expect(whole.result.calls[role].samples).toBe(whole.result.planned[role]);
    }
    expect(repeated).toBe(0);
    expect(roleCounts(resumed.result)).toEqual(roleCounts(whole.result));
    expect(resumed.events.filter((e) => e.type === 'run-resumed')).toHaveLength(2);
  });
});
