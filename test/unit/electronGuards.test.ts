// The desktop shell's security decisions (src/main/electronGuards.ts), without Electron: which
// URLs are the app's own page, what a window may navigate or be redirected to, what opens in the
// browser, and which permissions a page gets.
import { describe, expect, it } from 'vitest';
import {
  type AppLocation,
  type GuardedContents,
  type GuardedSession,
  guardContents,
  isAppUrl,
  isExternalWebLink,
  limitPermissions,
} from '../../src/main/electronGuards.js';

const built: AppLocation = { indexUrl: 'file:///opt/DRPO%20Studio/resources/app/out/renderer/index.html' };
const dev: AppLocation = { ...built, devServerUrl: 'http://localhost:5173/' };

describe("the app's own page", () => {
  it('is the built index.html, with any hash or query, and nothing else on disk', () => {
    expect(isAppUrl('file:///opt/DRPO%20Studio/resources/app/out/renderer/index.html', built)).toBe(true);
    expect(isAppUrl('file:///opt/DRPO%20Studio/resources/app/out/renderer/index.html#/runs?x=1', built)).toBe(true);
    for (const url of [
      'file:///opt/DRPO%20Studio/resources/app/out/renderer/other.html',
      'file:///opt/DRPO%20Studio/resources/app/out/renderer/index.html/../../secrets.json',
      'file:///etc/passwd',
      'file:///opt/DRPO%20Studio/resources/app/out/renderer/index.html.evil',
      'http://localhost:5173/',
      'https://evil.example/index.html',
      'javascript:alert(1)',
      'not a url',
      '',
    ])
      expect(isAppUrl(url, built), url).toBe(false);
  });

  it("is the dev server's exact origin while developing, never a look-alike", () => {
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173/runs/x#y', dev)).toBe(true);
    for (const url of [
      'http://localhost:5173.evil.example/',
      'http://localhost:51730/',
      'http://localhost:5173@evil.example/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
      'http://localhost/',
    ])
      expect(isAppUrl(url, dev), url).toBe(false);
  });
});

describe('a window', () => {
  function fakeContents() {
    const listeners = new Map<string, (details: { url: string; preventDefault(): void }) => void>();
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
    const contents: GuardedContents = {
      on(event, listener) {
        listeners.set(event, listener);
        return contents;
      },
      setWindowOpenHandler(handler) {
        openHandler = handler;
      },
    };
    /** Whether the event's default (the navigation) was prevented. */
    const prevented = (event: string, url: string): boolean => {
      let stopped = false;
      listeners.get(event)!({ url, preventDefault: () => (stopped = true) });
      return stopped;
    };
    return { contents, prevented, open: (url: string) => openHandler!({ url }) };
  }

  it('navigates and is redirected only within the app', () => {
    const { contents, prevented } = fakeContents();
    guardContents(contents, dev, () => {});
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(prevented(event, 'http://localhost:5173/experiments'), event).toBe(false);
      expect(prevented(event, `${built.indexUrl}#/runs`), event).toBe(false);
      expect(prevented(event, 'https://evil.example/'), event).toBe(true);
      expect(prevented(event, 'http://localhost:5173.evil.example/'), event).toBe(true);
      expect(prevented(event, 'file:///home/user/.ssh/id_rsa'), event).toBe(true);
    }
  });

  it('opens no new window; a web link goes to the browser, nothing else anywhere', () => {
    const { contents, open } = fakeContents();
    const external: string[] = [];
    guardContents(contents, built, (url) => external.push(url));
    for (const url of [
      'https://github.com/x',
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      `${built.indexUrl}#/runs`,
    ])
      expect(open(url), url).toEqual({ action: 'deny' });
    expect(external).toEqual(['https://github.com/x', 'http://example.com/']);
    expect(isExternalWebLink('HTTPS://EXAMPLE.COM')).toBe(true);
    expect(isExternalWebLink('mailto:a@b.c')).toBe(false);
  });

  it('gets no permission, asked or checked, but notifications and clipboard writes', () => {
    let request: Parameters<GuardedSession['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<GuardedSession['setPermissionCheckHandler']>[0] | undefined;
    limitPermissions({
      setPermissionRequestHandler: (handler) => {
        request = handler;
      },
      setPermissionCheckHandler: (handler) => {
        check = handler;
      },
    });
    for (const permission of ['media', 'clipboard-read', 'geolocation', 'openExternal', 'hid']) {
      const granted: boolean[] = [];
      request!({}, permission, (ok) => granted.push(ok));
      expect(granted, permission).toEqual([false]);
      expect(check!({}, permission), permission).toBe(false);
    }
    // A long run's end is a desktop notification; Copy writes the clipboard (never reads it).
    for (const permission of ['notifications', 'clipboard-sanitized-write']) {
      const granted: boolean[] = [];
      request!({}, permission, (ok) => granted.push(ok));
      expect(granted, permission).toEqual([true]);
      expect(check!({}, permission), permission).toBe(true);
    }
  });
});
