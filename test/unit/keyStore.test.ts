// The key store on a system without a keychain (Electron's 'basic_text' backend on Linux, where
// anyone who can read the file can read the keys): it says so, and stores a key only when the
// call accepts that. With a real keychain nothing changes. A fake safeStorage stands in for Electron's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudioService } from '../../src/main/api/studioService.js';
import { EncryptedSecretStore, type StringEncryption } from '../../src/main/store/secretStore.js';
import { checkArguments } from '../../src/shared/apiSchemas.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';

const KEY = 'sk-weak-backend-1234';

/** A safeStorage whose Linux backend is `backend` (undefined: another system, which names none). */
function fakeSafeStorage(backend: string | undefined): StringEncryption {
  return {
    isEncryptionAvailable: () => true,
    encryptString: (plain) => Buffer.from([...Buffer.from(plain)].reverse()),
    decryptString: (cipher) => Buffer.from([...cipher].reverse()).toString('utf8'),
    ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
  };
}

describe('the key store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'drpo-keystore-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("on Linux's plain-text backend refuses a key unless the call accepts it, then stores it", () => {
    const store = new EncryptedSecretStore(path.join(dir, 'secrets.json'), fakeSafeStorage('basic_text'));
    expect(store.protection()).toEqual({ backend: 'basic_text', weak: true });
    for (const options of [undefined, {}, { acceptWeakStorage: false }]) {
      const refused = (() => {
        try {
          store.set('OPENAI_KEY', KEY, options);
        } catch (error) {
          return error;
        }
      })();
      expect(refused).toBeInstanceOf(StudioApiError);
      expect(refused).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/no keychain was found/) });
    }
    expect(store.names()).toEqual([]);
    store.set('OPENAI_KEY', KEY, { acceptWeakStorage: true });
    expect(store.names()).toEqual(['OPENAI_KEY']);
    expect(store.get('OPENAI_KEY')).toBe(KEY);
  });

  it('with a keychain (or on a system that names none) stores keys as before', () => {
    for (const backend of ['gnome_libsecret', 'kwallet6', undefined]) {
      const store = new EncryptedSecretStore(path.join(dir, `${backend}.json`), fakeSafeStorage(backend));
      expect(store.protection()).toEqual(backend === undefined ? { weak: false } : { backend, weak: false });
      store.set('K', KEY);
      expect(store.get('K')).toBe(KEY);
    }
  });

  it('never reads a name through the object prototype, nor stores __proto__', () => {
    const store = new EncryptedSecretStore(path.join(dir, 'secrets.json'), fakeSafeStorage(undefined));
    store.set('A', KEY);
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(store.get(name)).toBeUndefined();
    expect(() => store.set('__proto__', KEY)).toThrow(/a key name is/);
    store.remove('toString');
    expect(store.names()).toEqual(['A']);
    store.set('toString', 'a key named like a method');
    expect(store.get('toString')).toBe('a key named like a method');
    expect(JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8'))).toHaveProperty('toString');
  });

  it('is reported by the service, and the acceptance travels with the call', async () => {
    const secrets = new EncryptedSecretStore(path.join(dir, 'secrets.json'), fakeSafeStorage('basic_text'));
    const service = createStudioService({ userDataDir: path.join(dir, 'user'), secrets });
    const { api } = service;
    expect(await api.secrets.list()).toEqual({ available: true, names: [], backend: 'basic_text', weak: true });
    await expect(api.secrets.set('KEY', KEY)).rejects.toMatchObject({ code: 'forbidden' });
    const accepted = checkArguments('secrets.set', ['KEY', KEY, { acceptWeakStorage: true }]);
    await api.secrets.set(...(accepted as [string, string, { acceptWeakStorage: boolean }]));
    expect(await api.secrets.list()).toEqual({ available: true, names: ['KEY'], backend: 'basic_text', weak: true });
    expect(() => checkArguments('secrets.set', ['KEY', KEY, { acceptWeakStorage: 'yes' }])).toThrow(
      /options\.acceptWeakStorage: expected true or false/,
    );
    await service.close();

    const browser = createStudioService({ userDataDir: path.join(dir, 'browser') });
    expect(await browser.api.secrets.list()).toEqual({ available: false, names: [], weak: false });
    await browser.close();
  });
});
