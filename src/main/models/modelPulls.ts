// Downloads GGUF models into the user-data folder (issue 15): to be written.
import type { CatalogModelDto, LocalModelDto, ModelPullEvent } from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';

export function modelPulls(_userDataDir: string) {
  return {
    catalog: async (): Promise<CatalogModelDto[]> => [],
    list: async (): Promise<LocalModelDto[]> => [],
    pull: (_request: { source: string; connection?: string }, listener: (event: ModelPullEvent) => void) => {
      listener({ type: 'failed', error: new StudioApiError('internal', 'not written yet').message });
      return () => {};
    },
  };
}
