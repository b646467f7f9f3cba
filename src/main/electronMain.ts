// The desktop shell's main process: one sandboxed, context-isolated window with no Node in the
// renderer, and the StudioApi served to it over IPC (only to this app's own pages).

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, safeStorage, shell } from 'electron';
import { createStudioService } from './api/studioService.js';
import { EncryptedSecretStore } from './store/secretStore.js';
import { type IpcSenderEvent, serveStudioApiOverIpc } from './transports/ipcTransport.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '../renderer/index.html');

/** IPC senders are validated: only the app's own page (or the dev server while developing). */
function isTrustedSender(event: IpcSenderEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  const devServer = process.env.ELECTRON_RENDERER_URL;
  return url === pathToFileURL(rendererIndex).href || (devServer !== undefined && url.startsWith(devServer));
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'DRPO Studio',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  // External links open in the user's browser, and only web links at that.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(rendererIndex);
}

void app.whenReady().then(() => {
  const userDataDir = app.getPath('userData');
  const secrets = new EncryptedSecretStore(path.join(userDataDir, 'secrets.json'), safeStorage);
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
