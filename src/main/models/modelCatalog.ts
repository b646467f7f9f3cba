// The curated list of small instruct models (resources/models.json), and the GGUF files already
// downloaded into `<user data>/models/gguf/`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CatalogModelDto, LocalModelDto } from '../../shared/studioApi.js';
import { resourcePath } from '../resourcePaths.js';
import { ggufDir } from './ggufDownload.js';
import { parseModelSource } from './modelSource.js';

const catalogSchema = z.object({
  models: z.array(
    z.object({
      id: z.string().regex(/^[\w.-]+$/),
      name: z.string().min(1),
      source: z.string().startsWith('hf:'),
      sizeBytes: z.number().int().positive(),
      licence: z.string().min(1),
      licenceUrl: z.url({ protocol: /^https$/ }),
      note: z.string().min(1),
    }),
  ),
});

export function readModelCatalog(file = resourcePath('models.json')): CatalogModelDto[] {
  const parsed = catalogSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is invalid: ${z.prettifyError(parsed.error)}`);
  // Each source must be one `models pull` accepts.
  for (const model of parsed.data.models) parseModelSource(model.source);
  return parsed.data.models;
}

/** The whole `.gguf` files of the models folder, by name (the partial downloads' folder is not listed). */
export function listLocalModels(userDataDir: string): LocalModelDto[] {
  const dir = ggufDir(userDataDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => /\.gguf$/i.test(name) && !name.startsWith('.'))
    .flatMap((file) => {
      const info = statSync(path.join(dir, file), { throwIfNoEntry: false });
      return info?.isFile() ? [{ file, path: path.join(dir, file), sizeBytes: info.size }] : [];
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}
