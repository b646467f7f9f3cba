// Serves the StudioApi to the Electron renderer over IPC: one channel per method, named
// `domain:method` (e.g. 'runs:list'). Calls go through ipcMain.handle / ipcRenderer.invoke;
// a subscription arrives as ipcRenderer.postMessage('domain:method', args, [port]) and streams its
// events over that MessagePort until the port closes or receives 'close'.
// Generic over the API's shape (apiDispatch.ts: the same lookup, argument checks and wire errors
// as HTTP), and written against the small structural interfaces below instead of importing
// 'electron' (Electron's ipcMain and MessagePortMain satisfy them), so tests run it without
// Electron. The client half is src/shared/ipcStudioClient.ts.
import { IPC_CLOSE_MESSAGE, type IpcCallReply, type IpcPortMessage } from '../../shared/ipcStudioClient.js';
import type { StudioApi } from '../../shared/studioApi.js';
import { StudioApiError, type StudioErrorBody } from '../../shared/studioApiError.js';
import { failure, serveMethods } from './apiDispatch.js';

/** What the handlers read of Electron's IpcMainInvokeEvent / IpcMainEvent. */
export interface IpcSenderEvent {
  senderFrame?: { url: string } | null;
  sender: unknown;
}

/** The part of Electron's MessagePortMain used here. */
export interface MainMessagePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (messageEvent: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export interface IpcPortEvent extends IpcSenderEvent {
  ports: readonly MainMessagePort[];
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcPortEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcPortEvent, ...args: unknown[]) => void): unknown;
}

export interface ServeOverIpcOptions {
  /** Whether the sending frame may use the API (e.g. its senderFrame.url is the app's own page). */
  isTrustedSender(event: IpcSenderEvent): boolean;
  /** Sees every internal error (anything but a StudioApiError); the renderer gets its message, never its stack. */
  onError?: (error: unknown, channel: string) => void;
}

export interface IpcStudioApiServer {
  /** Every channel served, `domain:method`. */
  channels: string[];
  /** Removes every handler and listener and ends every open subscription. */
  close(): void;
}

const UNTRUSTED: StudioErrorBody = { code: 'forbidden', message: 'Refused: untrusted sender' };

export function serveStudioApiOverIpc(
  api: StudioApi,
  ipcMain: IpcMainLike,
  options: ServeOverIpcOptions,
): IpcStudioApiServer {
  const report = (error: unknown, channel: string): void => options.onError?.(error, channel);
  const channels: string[] = [];
  const cleanups: (() => void)[] = [];
  const openSubscriptions = new Set<() => void>();

  for (const target of serveMethods(api).values()) {
    const channel = `${target.domain}:${target.method}`;
    channels.push(channel);

    if (!target.subscription) {
      ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcCallReply> => {
        if (!options.isTrustedSender(event)) return { ok: false, error: UNTRUSTED };
        try {
          return { ok: true, result: await target.invoke(args) };
        } catch (error) {
          return { ok: false, error: failure(error, target.name, report) };
        }
      });
      cleanups.push(() => ipcMain.removeHandler(channel));
      continue;
    }

    const listener = (event: IpcPortEvent, message: unknown): void => {
      const port = event.ports?.[0];
      if (port === undefined) return;
      const post = (reply: IpcPortMessage): void => port.postMessage(reply);
      const refuse = (error: StudioErrorBody): void => {
        post({ type: 'error', error });
        port.close();
      };
      if (!options.isTrustedSender(event)) {
        refuse(UNTRUSTED);
        return;
      }
      if (!Array.isArray(message)) {
        refuse(new StudioApiError('invalid-argument', `${target.name}: the arguments must be an array`).toBody());
        return;
      }

      let ended = false;
      let unsubscribe: unknown;
      const end = (): void => {
        if (ended) return;
        ended = true;
        openSubscriptions.delete(end);
        try {
          if (typeof unsubscribe === 'function') (unsubscribe as () => void)();
        } catch (error) {
          report(error, `${target.name} unsubscribe`);
        }
        port.close();
      };
      port.on('message', (messageEvent) => {
        if (messageEvent.data === IPC_CLOSE_MESSAGE) end();
      });
      port.on('close', end);
      port.start();
      try {
        unsubscribe = target.invoke(message, (data) => !ended && post({ type: 'event', data: data ?? null }));
      } catch (error) {
        ended = true;
        refuse(failure(error, target.name, report));
        return;
      }
      openSubscriptions.add(end);
    };
    ipcMain.on(channel, listener);
    cleanups.push(() => ipcMain.removeListener(channel, listener));
  }

  return {
    channels,
    close() {
      for (const cleanup of cleanups.splice(0)) cleanup();
      for (const end of [...openSubscriptions]) end();
    },
  };
}
