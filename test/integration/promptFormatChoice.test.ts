// The base model's prompt format when the config names none: on a backend that only chats, the
// reference's chat path (drpo-chat), chosen once the backends are open, logged, kept on resume,
// recorded in result.json and shipped by the export. The backend is a user plugin whose manifest
// says it cannot complete raw text; it answers from the scripted test model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { exportRun } from '../../src/main/export/exportRun.js';
import { runPromptFormat } from '../../src/main/runs/runPromptFormat.js';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { runStage } from '../../src/main/runs/runSession.js';
import { createRunFolder, openRunFolder, readRunFolder } from '../../src/main/store/runFolder.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import { addRecordingPlugin, recordedRequests } from '../support/recordingPlugin.js';
import { scriptedUserData } from '../support/scriptedUserData.js';

describe('the prompt format a run chooses', () => {
  it("sends a chat-only base model the reference's chat path, logs and records it, and ships it", async () => {
    const userData = await scriptedUserData('drpo-format-');
    addRecordingPlugin(userData, 'chat-only', { completion: false });
    const seen = recordedRequests('chat-only');
    const store = await SettingsStore.open(userData);
    await store.update((s) => void s.enabledPlugins.push('chat-only'));
    const config = normalizeConfig(
      {
        backends: { chat: { plugin: 'chat-only', settings: { latencyMs: 0 } } },
        search: { width: 1, samples: 1, depth: 1 },
        retrieval: { k: 1, embedder: 'lexical' },
        cacheDir: null,
        runsDir: path.join(userData, 'runs'),
      },
      userData,
    );
    expect(config.promptFormat).toBeUndefined();
    const folder = createRunFolder(config, 'system-prompt', 'test');
    const result = (await runStage(folder, { userDataDir: userData })) as SystemPromptResult;

    expect(result.promptFormat).toBe('drpo-chat');
    const saved = JSON.parse(readFileSync(path.join(folder.dir, 'result.json'), 'utf8')) as SystemPromptResult;
    expect(saved.promptFormat).toBe('drpo-chat');
    const events = readRunLog(path.join(folder.dir, 'events.jsonl')).events;
    expect(events.filter((e) => e.type === 'prompt-format')).toMatchObject([
      { type: 'prompt-format', format: 'drpo-chat', automatic: true },
    ]);
    // Every base request: one system message in the reference's layout, the query turn, its stop list.
    const base = seen.filter(
      (r) => r.input.kind === 'chat' && r.input.messages[0]?.content.startsWith('# instructions'),
    );
    expect(base.length).toBeGreaterThan(0);
    for (const request of base) {
      if (request.input.kind !== 'chat') throw new Error('not a chat');
      const [system, user, ...rest] = request.input.messages;
      expect(rest).toEqual([]);
      expect(system).toMatchObject({ role: 'system' });
      expect(system!.content).toMatch(
        /^# instructions\n\n[\s\S]*\n\n# Query:\n[\s\S]*\n\n# Answer:\n<START>\n[\s\S]*\n<END>\n\n$/,
      );
      expect(user).toMatchObject({ role: 'user' });
      expect(user!.content).toMatch(/^# Query:\n[\s\S]+\n\n# Answer:\n<START>$/);
      expect(request.stop).toEqual(['<END>', '<END', '<|eot_id|>']);
    }
    expect(seen.some((r) => r.input.kind === 'text')).toBe(false);

    const exported = JSON.parse(await exportRun(readRunFolder(folder.dir), 'messages', {}, { userDataDir: userData }));
    expect(exported.promptFormat).toBe('drpo-chat');
    expect(exported.userTemplate).toBe('# Query:\n{query}\n\n# Answer:\n<START>');

    // A resume keeps the logged format, whatever the backend would get now.
    const again = openRunFolder(folder.dir, 'test');
    expect(runPromptFormat(again.config, again.log.previous, { completion: true })).toEqual({
      format: 'drpo-chat',
      automatic: true,
    });
    again.lock.release();
  });
});
