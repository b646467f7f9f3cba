// Serves the StudioApi to the Electron renderer over IPC: one channel per method, named
// `domain:method` (e.g. 'runs:list'). Calls go through ipcMain.handle / ipcRenderer.invoke;
// a subscription arrives as ipcRenderer.postMessage('domain:method', args, [port]) and streams its
// events over that MessagePort until the port closes or receives 'close'.
// Generic over API_METHODS / SUBSCRIPTIONS, and written against the small structural interfaces
// below instead of importing 'electron' (Electron's ipcMain and MessagePortMain satisfy them), so
// tests run it without Electron. The client half is src/shared/ipcStudioClient.ts.
import { IPC_CLOSE_MESSAGE, type IpcCallReply, type IpcPortMessage } from '../../shared/ipcStudioClient.js';
import { API_METHODS, type StudioApi, SUBSCRIPTIONS } from '../../shared/studioApi.js';

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
  /** Sees every error the API threw (the renderer gets only its message). */
  onError?: (error: unknown, channel: string) => void;
}

export interface IpcStudioApiServer {
  /** Every channel served, `domain:method`. */
  channels: string[];
  /** Removes every handler and listener and ends every open subscription. */
  close(): void;
}

type AnyMethod = (...args: unknown[]) => unknown;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function serveStudioApiOverIpc(
  api: StudioApi,
  ipcMain: IpcMainLike,
  options: ServeOverIpcOptions,
): IpcStudioApiServer {
  const report = (error: unknown, channel: string): void => options.onError?.(error, channel);
  const channels: string[] = [];
  const cleanups: (() => void)[] = [];
  const openSubscriptions = new Set<() => void>();

  for (const [domain, methods] of Object.entries(API_METHODS)) {
    const subscriptions = Object.hasOwn(SUBSCRIPTIONS, domain) ? (SUBSCRIPTIONS[domain] ?? []) : [];
    const target = (api as unknown as Record<string, Record<string, unknown>>)[domain];
    for (const method of methods) {
      const channel = `${domain}:${method}`;
      const fn = target?.[method];
      if (typeof fn !== 'function') throw new Error(`The API has no method ${domain}.${method}`);
      const invoke = (args: unknown[]): unknown => (fn as AnyMethod).apply(target, args);
      channels.push(channel);

      if (!subscriptions.includes(method)) {
        ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcCallReply> => {
          if (!options.isTrustedSender(event)) return { ok: false, error: 'Refused: untrusted sender' };
          try {
            return { ok: true, result: await invoke(args) };
          } catch (error) {
            report(error, channel);
            return { ok: false, error: messageOf(error) };
          }
        });
        cleanups.push(() => ipcMain.removeHandler(channel));
        continue;
      }

      const listener = (event: IpcPortEvent, message: unknown): void => {
        const port = event.ports?.[0];
        if (port === undefined) return;
        const post = (reply: IpcPortMessage): void => port.postMessage(reply);
        const refuse = (error: string): void => {
          post({ type: 'error', error });
          port.close();
        };
        if (!options.isTrustedSender(event)) return refuse('Refused: untrusted sender');
        if (!Array.isArray(message)) return refuse(`${channel}: the arguments must be an array`);

        let ended = false;
        let unsubscribe: unknown;
        const end = (): void => {
          if (ended) return;
          ended = true;
          openSubscriptions.delete(end);
          try {
            if (typeof unsubscribe === 'function') (unsubscribe as () => void)();
          } catch (error) {
            report(error, `${channel} unsubscribe`);
          }
          port.close();
        };
        port.on('message', (messageEvent) => {
          if (messageEvent.data === IPC_CLOSE_MESSAGE) end();
        });
        port.on('close', end);
        port.start();
        try {
          unsubscribe = invoke([...message, (data: unknown) => !ended && post({ type: 'event', data: data ?? null })]);
        } catch (error) {
          ended = true;
          report(error, channel);
          refuse(messageOf(error));
          return;
        }
        openSubscriptions.add(end);
      };
      ipcMain.on(channel, listener);
      cleanups.push(() => ipcMain.removeListener(channel, listener));
    }
  }

  return {
    channels,
    close() {
      for (const cleanup of cleanups.splice(0)) cleanup();
      for (const end of [...openSubscriptions]) end();
    },
  };
}
