// The desktop app's key store: API keys encrypted with the operating system's keychain
// (Electron's safeStorage) in <user data>/secrets.json. Connections refer to a stored key as
// "store:NAME"; only the main process ever decrypts it, for the plugin that needs it. The
// renderer learns which names are set, never a value.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './privateFiles.js';

/** What Electron's safeStorage offers (an interface, so tests need no Electron). */
export interface StringEncryption {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
}

export interface SecretStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  remove(name: string): void;
  names(): string[];
}

export class EncryptedSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly encryption: StringEncryption,
  ) {}

  get(name: string): string | undefined {
    const cipher = this.read()[name];
    return cipher === undefined ? undefined : this.encryption.decryptString(Buffer.from(cipher, 'base64'));
  }

  set(name: string, value: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Error(`a key name is letters, digits and '_' (got "${name}")`);
    if (!value) throw new Error('the key is empty');
    if (!this.encryption.isEncryptionAvailable())
      throw new Error(
        'this system offers no encryption for stored keys; use an environment variable (env:NAME) instead',
      );
    const all = this.read();
    all[name] = this.encryption.encryptString(value).toString('base64');
    writeFileAtomic(this.file, `${JSON.stringify(all, null, 2)}\n`);
  }

  remove(name: string): void {
    const all = this.read();
    delete all[name];
    writeFileAtomic(this.file, `${JSON.stringify(all, null, 2)}\n`);
  }

  names(): string[] {
    return Object.keys(this.read()).sort();
  }

  private read(): Record<string, string> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
  }
}
