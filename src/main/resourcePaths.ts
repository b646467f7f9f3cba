// Where the project's own data files live, from source (vitest) and from the compiled CLI alike:
// both `src/main/` and `dist/main/` sit two levels below the package root.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const resourcesDir = path.join(packageRoot, 'resources');

export function resourcePath(...parts: string[]): string {
  return path.join(resourcesDir, ...parts);
}
