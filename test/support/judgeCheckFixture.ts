// A finished experiment for the judge checks: CHECK_ITEMS answered and judged on a plain fake
// server (saved connection "server"), and two varying judges behind servers of their own, saved
// as connections "judgeA" and "judgeB" in the same user-data folder.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { normalizeExperimentConfig } from '../../src/main/experiments/experimentConfig.js';
import { createExperimentFolder } from '../../src/main/experiments/experimentFolder.js';
import { runExperiment } from '../../src/main/experiments/experimentSession.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import type { ScriptedModel } from '../helpers/scriptedModel.js';
import type { FakeOpenAIServer } from './fakeOpenAIServer.js';
import {
  CHECK_ITEMS,
  checkExperimentConfig,
  connectionTo,
  type JudgeScript,
  startJudgeServer,
} from './varyingJudge.js';

export interface JudgeCheckFixture {
  userDataDir: string;
  experimentDir: string;
  servers: FakeOpenAIServer[];
  /** The varying judges' models, by connection name: what they were asked. */
  models: Record<string, ScriptedModel>;
  close(): Promise<void>;
}

export async function finishedExperiment(judges: {
  judgeA: JudgeScript;
  judgeB?: JudgeScript;
}): Promise<JudgeCheckFixture> {
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-judge-check-'));
  const userDataDir = path.join(work, 'user-data');
  mkdirSync(userDataDir);
  const { server: base } = await startJudgeServer(Object.fromEntries(CHECK_ITEMS.map((i) => [String(i.id), [3]])));
  const servers = [base];
  const models: Record<string, ScriptedModel> = {};
  const store = await SettingsStore.open(userDataDir);
  await store.update((s) => {
    s.connections.server = connectionTo(base);
  });
  for (const [name, script] of Object.entries(judges)) {
    if (!script) continue;
    const { server, model } = await startJudgeServer(script);
    servers.push(server);
    models[name] = model;
    await store.update((s) => {
      s.connections[name] = connectionTo(server);
    });
  }
  writeFileSync(path.join(work, 'eval.json'), JSON.stringify(CHECK_ITEMS));
  const config = normalizeExperimentConfig(checkExperimentConfig('eval.json'), work);
  const folder = createExperimentFolder(config, 'the test', userDataDir);
  await runExperiment(folder, { userDataDir });
  return {
    userDataDir,
    experimentDir: folder.dir,
    servers,
    models,
    close: async () => void (await Promise.all(servers.map((s) => s.close()))),
  };
}
