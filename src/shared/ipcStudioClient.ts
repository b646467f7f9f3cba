// The StudioApi as seen from the Electron renderer: the client half of
// src/main/transports/ipcTransport.ts, over the bridge the preload exposes
// (src/preload/ipcBridge.ts). Generic over API_METHODS / SUBSCRIPTIONS; channels are
// `domain:method`. Also home of the small wire protocol both halves share; errors cross as
// StudioErrorBody and reject as StudioApiError. No Node or Electron imports: this file ships to
// the renderer.
import { buildStudioClient, type StudioApi } from './studioApi.js';
import { errorFromBody, StudioApiError, type StudioErrorBody } from './studioApiError.js';

/** What the preload exposes to the renderer (via contextBridge) for the studio's API. */
export interface StudioIpcBridge {
  /** ipcRenderer.invoke(channel, ...args). */
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  /** Opens a MessageChannel, hands one port to main with `args`, calls onMessage per message; the result closes it. */
  subscribe(channel: string, args: unknown[], onMessage: (message: unknown) => void): () => void;
}

/** What a call's channel answers: a result or an error (never a rejection, whose message Electron would wrap). */
export type IpcCallReply = { ok: true; result: unknown } | { ok: false; error: StudioErrorBody };

/** What a subscription's port carries to the renderer. */
export type IpcPortMessage = { type: 'event'; data: unknown } | { type: 'error'; error: StudioErrorBody };

/** What the renderer posts on a subscription's port to end it. */
export const IPC_CLOSE_MESSAGE = 'close';

export interface IpcStudioClientOptions {
  /** A subscription that main refused or could not start (a StudioApiError). Default: console.warn. */
  onSubscriptionError?: (error: Error, channel: string) => void;
}

type Listener = (value: unknown) => void;

function isCallReply(value: unknown): value is IpcCallReply {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** The error main sent, or an internal one when what came is not an error body. */
function received(error: unknown, channel: string): StudioApiError {
  return (
    errorFromBody(error) ?? new StudioApiError('internal', `${channel}: unexpected error reply from the main process`)
  );
}

function isPortMessage(value: unknown): value is IpcPortMessage {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === 'event' || type === 'error';
}

export function createIpcStudioClient(bridge: StudioIpcBridge, options: IpcStudioClientOptions = {}): StudioApi {
  const onSubscriptionError =
    options.onSubscriptionError ?? ((error, channel) => console.warn(`Subscription ${channel}: ${error.message}`));

  async function call(channel: string, args: unknown[]): Promise<unknown> {
    const reply = await bridge.invoke(channel, ...args);
    if (!isCallReply(reply)) throw new StudioApiError('internal', `${channel}: unexpected reply from the main process`);
    if (!reply.ok) throw received(reply.error, channel);
    return reply.result;
  }

  function subscribe(channel: string, args: unknown[], listener: Listener): () => void {
    let stopped = false;
    let close: (() => void) | undefined;
    const unsubscribe = (): void => {
      if (stopped) return;
      stopped = true;
      close?.();
    };
    close = bridge.subscribe(channel, args, (message) => {
      if (stopped || !isPortMessage(message)) return;
      if (message.type === 'error') {
        unsubscribe();
        onSubscriptionError(received(message.error, channel), channel);
        return;
      }
      try {
        listener(message.data);
      } catch (error) {
        onSubscriptionError(error instanceof Error ? error : new Error(String(error)), channel);
      }
    });
    // An error message delivered synchronously may have stopped it before `close` was known.
    if (stopped) close();
    return unsubscribe;
  }

  return buildStudioClient(
    (domain, method, args) => call(`${domain}:${method}`, args),
    (domain, method, args, listener) => subscribe(`${domain}:${method}`, args, listener),
  );
}
