// The studio's `models` domain: the catalog, the downloaded models, and a pull (download, check,
// then a saved llama-cpp connection) reported as events.
import type { CatalogModelDto, LocalModelDto, ModelPullEvent } from '../../shared/studioApi.js';
import { downloadGguf } from './ggufDownload.js';
import { listLocalModels, readModelCatalog } from './modelCatalog.js';
import { checkConnectionName, saveModelConnection } from './modelConnection.js';
import { parseModelSource } from './modelSource.js';

export interface PullRequest {
  source: string;
  connection?: string;
  userDataDir: string;
  signal: AbortSignal;
  onProgress: (progress: Omit<Extract<ModelPullEvent, { type: 'progress' }>, 'type'>) => void;
}

/** Downloads and checks the model, then saves its connection; what the `done` event reports. */
export async function pullModel(
  request: PullRequest,
): Promise<Omit<Extract<ModelPullEvent, { type: 'done' }>, 'type'>> {
  // Bad input is refused before anything is fetched. A catalog id stands for its source.
  const listed = readModelCatalog().find((model) => model.id === request.source);
  const source = parseModelSource(listed?.source ?? request.source);
  if (request.connection !== undefined) checkConnectionName(request.connection);
  const model = await downloadGguf({
    userDataDir: request.userDataDir,
    source,
    signal: request.signal,
    onProgress: request.onProgress,
  });
  const connection = await saveModelConnection(request.userDataDir, model.path, request.connection);
  return { ...model, connection };
}

export function modelPulls(userDataDir: string) {
  return {
    catalog: async (): Promise<CatalogModelDto[]> => readModelCatalog(),
    list: async (): Promise<LocalModelDto[]> => listLocalModels(userDataDir),
    pull: (request: { source: string; connection?: string }, listener: (event: ModelPullEvent) => void) => {
      const controller = new AbortController();
      // After unsubscribing (a cancel) the listener hears nothing more.
      const emit = (event: ModelPullEvent) => {
        if (!controller.signal.aborted) listener(event);
      };
      pullModel({
        ...request,
        userDataDir,
        signal: controller.signal,
        onProgress: (progress) => emit({ type: 'progress', ...progress }),
      }).then(
        (done) => emit({ type: 'done', ...done }),
        (error: Error) => emit({ type: 'failed', error: error.message }),
      );
      return () => controller.abort();
    },
  };
}
