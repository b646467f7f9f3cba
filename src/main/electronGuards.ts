// The desktop shell's security decisions, apart from Electron so that tests run them without it:
// which URLs are the app's own page, what a window may navigate or be redirected to, what opens
// in the user's browser, and which permissions a page gets (notifications and clipboard writes
// only). Written against the small structural interfaces below; Electron's webContents and
// session satisfy them.

/** Where the app's page comes from: the built index.html, or the dev server while developing. */
export interface AppLocation {
  /** file:// URL of the built renderer's index.html. */
  indexUrl: string;
  /** ELECTRON_RENDERER_URL while developing. */
  devServerUrl?: string;
}

function parsed(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` is the app's own page: the built index.html (any hash or query), or a page of the
 * dev server's exact origin (scheme, host and port: `http://localhost:5173.evil.example` is not it).
 */
export function isAppUrl(url: string, app: AppLocation): boolean {
  const target = parsed(url);
  if (target === undefined) return false;
  const dev = app.devServerUrl === undefined ? undefined : parsed(app.devServerUrl);
  if (dev !== undefined && dev.origin !== 'null' && target.origin === dev.origin) return true;
  const index = parsed(app.indexUrl);
  if (index === undefined || target.protocol !== 'file:') return false;
  target.hash = '';
  target.search = '';
  return target.href === index.href;
}

/** A link the user's browser may open: web links only (never file:, javascript:, custom schemes). */
export function isExternalWebLink(url: string): boolean {
  const target = parsed(url);
  return target !== undefined && (target.protocol === 'https:' || target.protocol === 'http:');
}

/** The part of Electron's WebContents guarded here. */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (details: { url: string; preventDefault(): void }) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Keeps a window on the app: navigation and redirects elsewhere are stopped, and no new window
 * opens (a web link goes to the user's browser instead).
 */
export function guardContents(contents: GuardedContents, app: AppLocation, openExternal: (url: string) => void): void {
  const stayOnApp = (details: { url: string; preventDefault(): void }): void => {
    if (!isAppUrl(details.url, app)) details.preventDefault();
  };
  contents.on('will-navigate', stayOnApp);
  contents.on('will-redirect', stayOnApp);
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebLink(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/** The part of Electron's Session guarded here. */
export interface GuardedSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, grant: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/**
 * The only permissions the studio's page gets: desktop notifications (a long run or experiment
 * has ended) and writing the clipboard (Copy). No camera, microphone, clipboard reads or anything else.
 */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

export function limitPermissions(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, permission, grant) => grant(GRANTED_PERMISSIONS.has(permission)));
  session.setPermissionCheckHandler((_contents, permission) => GRANTED_PERMISSIONS.has(permission));
}
