// Trying reward criteria on a query, for the studio (README "Trying criteria on a query"): the
// catalog file reader, the estimate, the try itself streamed (unsubscribing cancels it: its calls
// are aborted, its connections let go, and nothing more is sent), the default connections and
// the saved probes.

import type { AspectTryEvent } from '../../shared/aspectTry.js';
import type { StudioApi } from '../../shared/studioApi.js';
import { aspectProbes } from '../aspectTry/aspectProbes.js';
import { parseCatalogText } from '../aspectTry/catalogFiles.js';
import { runTry } from '../aspectTry/runTry.js';
import { tryDefaults } from '../aspectTry/tryDefaults.js';
import { planTry } from '../aspectTry/tryPlan.js';
import type { SecretSource } from '../plugins/pluginSettings.js';
import { itemIds } from './folderItems.js';
import type { RunManager } from './runManager.js';

type TryMethods = Pick<StudioApi['aspects'], 'parse' | 'estimateTry' | 'try' | 'tryDefaults' | 'probes' | 'saveProbes'>;

export function aspectTries(userDataDir: string, runs: RunManager, secrets?: SecretSource): TryMethods {
  return {
    parse: async (text) => parseCatalogText(text),
    estimateTry: async (request) => (await planTry(request, userDataDir)).estimate,
    try: (request, listener) => {
      const controller = new AbortController();
      const send = (event: AspectTryEvent) => {
        if (!controller.signal.aborted) listener(event);
      };
      void (async () => {
        try {
          const plan = await planTry(request, userDataDir);
          const result = await runTry(plan, { userDataDir, secrets, signal: controller.signal, onEvent: send });
          send({ type: 'done', result });
        } catch (error) {
          send({ type: 'error', error: (error as Error).message });
        }
      })();
      return () => controller.abort();
    },
    // Newest first by id, which starts with the folder's UTC creation time: read up to the first
    // run that used saved connections, one config.json each, never a log (runs.list reads them all).
    tryDefaults: async () =>
      tryDefaults(
        itemIds(runs.runsDir)
          .sort((a, b) => b.localeCompare(a))
          .map((id) => ({ id, config: () => runs.folder(id).config })),
      ),
    ...aspectProbes(userDataDir),
  };
}
