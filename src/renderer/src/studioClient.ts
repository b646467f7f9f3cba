// Which transport carries the StudioApi: IPC inside the desktop app, HTTP in browser mode
// (`drpo-studio serve`, whose token arrives in the URL's fragment). Screens see only StudioApi.
import { createHttpStudioClient } from '../../shared/httpStudioClient';
import { createIpcStudioClient } from '../../shared/ipcStudioClient';
import type { StudioApi } from '../../shared/studioApi';

export function connectStudio(): StudioApi {
  if (window.api?.studio) return createIpcStudioClient(window.api.studio);
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  return createHttpStudioClient(window.location.origin, token);
}
