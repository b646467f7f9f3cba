// A shared bundle's log is checked line by line against what the studio itself writes: a run on a
// probed server logs a `probe` line (runSession.ts) before its first call, so its bundle must import.
import { describe, expect, it } from 'vitest';
import { checkRunEventLines } from '../../src/main/store/runEventLines.js';

describe('run event lines', () => {
  const started = { seq: 0, ts: 1, type: 'run-started', stage: 'system-prompt', version: '0.1.0' };
  // As runSession.ts emits it for an OpenAI-compatible server probed with 3 requests.
  const probe = {
    seq: 1,
    ts: 2,
    type: 'probe',
    backend: 'main',
    requests: 3,
    summary: 'vLLM; JSON on chat: response_format json_schema; n>1: yes',
  };

  it('takes the probe line a run on a probed server writes', () => {
    expect(checkRunEventLines([started, probe], 'bundle')).toHaveLength(2);
  });

  it('refuses a probe line with a field the studio never writes, or a negative request count', () => {
    expect(() => checkRunEventLines([started, { ...probe, apiKey: 'sk-x' }], 'bundle')).toThrow(/event line 2/);
    expect(() => checkRunEventLines([started, { ...probe, requests: -1 }], 'bundle')).toThrow(/event line 2/);
  });
});
