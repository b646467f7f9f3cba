// The bridge between the sandboxed renderer and the main process: one `api` object, typed by
// its own declaration (src/preload/index.d.ts). `studio` carries the StudioApi over IPC (the
// renderer wraps it with createIpcStudioClient); nothing else of Node or Electron crosses.
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcBridge } from './ipcBridge.js';

const api = { studio: createIpcBridge(ipcRenderer) };

export type StudioBridge = typeof api;

contextBridge.exposeInMainWorld('api', api);
