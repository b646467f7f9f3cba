// The bridge between the sandboxed renderer and the main process: one `api` object, typed by
// its own declaration (src/preload/index.d.ts), grown domain by domain as the service API lands.
import { contextBridge } from 'electron';

const api = {
  versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
};

export type StudioBridge = typeof api;

contextBridge.exposeInMainWorld('api', api);
