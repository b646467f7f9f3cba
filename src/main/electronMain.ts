// The desktop shell's main process: one sandboxed, context-isolated window with no Node in the
// renderer, kept on the app's own page (electronGuards.ts), no permission granted but notifications
// and clipboard writes, and the StudioApi served to it over IPC (only to this app's own pages).

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, safeStorage, session, shell } from 'electron';
import { createStudioService } from './api/studioService.js';
import { appMenuTemplate } from './appMenu.js';
import { type AppLocation, guardContents, isAppUrl, limitPermissions } from './electronGuards.js';
import { packageRoot, resourcePath } from './resourcePaths.js';
import { EncryptedSecretStore, type StringEncryption } from './store/secretStore.js';
import { type IpcSenderEvent, serveStudioApiOverIpc } from './transports/ipcTransport.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '../renderer/index.html');
const location: AppLocation = {
  indexUrl: pathToFileURL(rendererIndex).href,
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
};

/** IPC senders are validated: only the app's own page (or the dev server while developing). */
function isTrustedSender(event: IpcSenderEvent): boolean {
  return isAppUrl(event.senderFrame?.url ?? '', location);
}

/** safeStorage, with the keychain backend where Electron names one (Linux, where 'basic_text' is plain text). */
const encryption: StringEncryption = {
  isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
  encryptString: (plain) => safeStorage.encryptString(plain),
  decryptString: (cipher) => safeStorage.decryptString(cipher),
  ...(process.platform === 'linux' ? { getSelectedStorageBackend: () => safeStorage.getSelectedStorageBackend() } : {}),
};

/** The README beside the app: in a packaged app electron-builder puts it in resources/, outside app.asar. */
function openReadme(): void {
  const readme = app.isPackaged ? path.join(process.resourcesPath, 'README.md') : path.join(packageRoot, 'README.md');
  void shell.openPath(readme);
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'DRPO Studio',
    // Linux and Windows show it in the title bar and task bar (macOS takes the bundle's).
    icon: resourcePath('icon.png'),
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  if (location.devServerUrl) void window.loadURL(location.devServerUrl);
  else void window.loadFile(rendererIndex);
}

// Every web contents, whoever creates it, stays on the app; no <webview> is ever attached.
app.on('web-contents-created', (_event, contents) => {
  guardContents(contents, location, (url) => void shell.openExternal(url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenuTemplate({ isMac: process.platform === 'darwin', openReadme })),
  );
  limitPermissions(session.defaultSession);
  const userDataDir = app.getPath('userData');
  const secrets = new EncryptedSecretStore(path.join(userDataDir, 'secrets.json'), encryption);
  const service = createStudioService({ userDataDir, secrets });
  serveStudioApiOverIpc(service.api, ipcMain, { isTrustedSender });
  // Running runs pause on quit and resume from their logs next time.
  app.on('before-quit', () => void service.close());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
