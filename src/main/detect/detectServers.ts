// Finds the model servers already running on this machine (issue 15): to be written.
import type { DetectResultDto } from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';

export async function detectServers(_options: { userDataDir: string; addresses?: string[] }): Promise<DetectResultDto> {
  throw new StudioApiError('internal', 'detect: not written yet');
}
