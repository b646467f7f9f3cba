// Which transport carries the StudioApi: IPC inside the desktop app, HTTP in browser mode
// (`drpo-studio serve`, whose token arrives in the URL's fragment). Screens see only StudioApi.
import { createHttpStudioClient } from '../../shared/httpStudioClient';
import { createIpcStudioClient } from '../../shared/ipcStudioClient';
import type { StudioApi } from '../../shared/studioApi';

const TOKEN_KEY = 'drpo-studio-token';

/**
 * The serve command's token, taken out of the address bar as soon as it is read (so history,
 * bookmarks, screenshots and a shared URL never hold it) and kept for this tab alone, so that a
 * reload still connects.
 */
function takeToken(): string {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const fromUrl = fragment.get('token');
  if (fromUrl === null) return sessionStorage.getItem(TOKEN_KEY) ?? '';
  sessionStorage.setItem(TOKEN_KEY, fromUrl);
  fragment.delete('token');
  const rest = fragment.toString();
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}${rest ? `#${rest}` : ''}`);
  return fromUrl;
}

export function connectStudio(): StudioApi {
  if (window.api?.studio) return createIpcStudioClient(window.api.studio);
  return createHttpStudioClient(window.location.origin, takeToken());
}
