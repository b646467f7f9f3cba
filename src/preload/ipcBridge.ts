// The preload's half of the studio's IPC transport: what it hands the renderer (through
// contextBridge) as the `StudioIpcBridge` that src/shared/ipcStudioClient.ts builds the StudioApi
// on. Calls wrap ipcRenderer.invoke; each subscription opens a MessageChannel, transfers one port
// to the main process with ipcRenderer.postMessage('domain:method', args, [port]) and relays what
// arrives on the other. Typed by a structural interface rather than importing 'electron', so it
// runs in tests; Electron's ipcRenderer satisfies it. Only the API's own channels cross: a call
// channel for each call, a subscription channel for each subscription, nothing else of ipcRenderer.
import { IPC_CLOSE_MESSAGE, type StudioIpcBridge } from '../shared/ipcStudioClient.js';
import { API_METHOD_ENTRIES } from '../shared/studioApi.js';

/** The part of Electron's ipcRenderer used here. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  postMessage(channel: string, message: unknown, transfer: MessagePort[]): void;
}

const channels = (subscription: boolean): ReadonlySet<string> =>
  new Set(API_METHOD_ENTRIES.filter((e) => e.subscription === subscription).map((e) => `${e.domain}:${e.method}`));
const CALL_CHANNELS = channels(false);
const SUBSCRIPTION_CHANNELS = channels(true);

function refused(channel: string): Error {
  return new Error(`Refused: "${channel}" is not a channel of the studio's API`);
}

export function createIpcBridge(ipcRenderer: IpcRendererLike): StudioIpcBridge {
  return {
    invoke: (channel, ...args) =>
      CALL_CHANNELS.has(channel) ? ipcRenderer.invoke(channel, ...args) : Promise.reject(refused(channel)),
    subscribe(channel, args, onMessage) {
      if (!SUBSCRIPTION_CHANNELS.has(channel)) throw refused(channel);
      const { port1, port2 } = new MessageChannel();
      let closed = false;
      const close = (): void => {
        if (closed) return;
        closed = true;
        port1.onmessage = null;
        port1.postMessage(IPC_CLOSE_MESSAGE);
        port1.close();
      };
      port1.onmessage = (event: MessageEvent) => {
        if (!closed) onMessage(event.data);
      };
      ipcRenderer.postMessage(channel, args, [port2]);
      return close;
    },
  };
}
