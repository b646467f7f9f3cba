// The desktop app's key store: API keys encrypted with the operating system's keychain
// (Electron's safeStorage) in <user data>/secrets.json. Connections refer to a stored key as
// "store:NAME"; only the main process ever decrypts it, for the plugin that needs it. The
// renderer learns which names are set, never a value.
//
// On Linux without a keychain (no GNOME Keyring, KWallet…) Electron falls back to 'basic_text':
// the "encryption" is a password built into Chromium, so anyone who can read the file can read
// the keys. The store then says so and refuses a key unless that call accepts it explicitly.
import { existsSync, readFileSync } from 'node:fs';
import { ownValue } from '../../shared/ownProperty.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { writeFileAtomic } from './privateFiles.js';

/** What Electron's safeStorage offers (an interface, so tests need no Electron). */
export interface StringEncryption {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
  /** Linux only: the keychain Electron chose ('gnome_libsecret', 'kwallet5'…, or 'basic_text'). */
  getSelectedStorageBackend?(): string;
}

/** Electron's plain-text fallback backend on Linux. */
export const WEAK_BACKEND = 'basic_text';

export interface KeyStoreProtection {
  /** The keychain backend where the system names one (Linux); undefined elsewhere. */
  backend?: string;
  /** Keys would be readable by anyone who can read the file: storing one needs explicit acceptance. */
  weak: boolean;
}

export interface SecretStore {
  get(name: string): string | undefined;
  /** Refused on a weak backend unless `acceptWeakStorage` is set. */
  set(name: string, value: string, options?: { acceptWeakStorage?: boolean }): void;
  remove(name: string): void;
  names(): string[];
  protection(): KeyStoreProtection;
}

export class EncryptedSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly encryption: StringEncryption,
  ) {}

  get(name: string): string | undefined {
    const cipher = ownValue(this.read(), name);
    return cipher === undefined ? undefined : this.encryption.decryptString(Buffer.from(cipher, 'base64'));
  }

  set(name: string, value: string, options: { acceptWeakStorage?: boolean } = {}): void {
    // '__proto__' fits the pattern but would set the record's prototype, not a key.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name === '__proto__')
      throw new StudioApiError('invalid-argument', `a key name is letters, digits and '_' (got "${name}")`);
    if (!value) throw new StudioApiError('invalid-argument', 'the key is empty');
    if (!this.encryption.isEncryptionAvailable())
      throw new StudioApiError(
        'forbidden',
        'this system offers no encryption for stored keys; use an environment variable (env:NAME) instead',
      );
    if (this.protection().weak && options.acceptWeakStorage !== true)
      throw new StudioApiError(
        'forbidden',
        `no keychain was found (Electron's "${WEAK_BACKEND}" key store): a stored key could be read by anyone who can read ${this.file}; accept that explicitly to store it anyway, or use an environment variable (env:NAME)`,
      );
    const all = this.read();
    all[name] = this.encryption.encryptString(value).toString('base64');
    this.write(all);
  }

  remove(name: string): void {
    const all = this.read();
    if (!Object.hasOwn(all, name)) return;
    delete all[name];
    this.write(all);
  }

  names(): string[] {
    return Object.keys(this.read()).sort();
  }

  protection(): KeyStoreProtection {
    const backend = this.encryption.getSelectedStorageBackend?.();
    return backend === undefined ? { weak: false } : { backend, weak: backend === WEAK_BACKEND };
  }

  private read(): Record<string, string> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
  }

  private write(all: Record<string, string>): void {
    writeFileAtomic(this.file, `${JSON.stringify(all, null, 2)}\n`);
  }
}
