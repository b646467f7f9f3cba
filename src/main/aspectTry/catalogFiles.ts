// Aspect catalogs as files (README "Trying criteria on a query"): a file's text read as a run
// reads its catalog — JSON, then the engine's own validation — so what imports is what a run
// accepts. Sized before it is parsed; JSON.parse makes "__proto__" an own key, and the schema
// keeps only the catalog's fields, so a hostile file cannot reach any prototype.
import { LIMITS } from '../../shared/requestLimits.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { parseJson } from '../data/jsonFiles.js';
import { validateAspectCatalog } from '../engine/aspects.js';
import type { AspectCatalog } from '../engine/types.js';

/** The catalog in `text`, or an invalid-argument error saying what is wrong with it (named `where`). */
export function parseCatalogText(text: string, where = 'the catalog file'): AspectCatalog {
  if (text.length > LIMITS.catalogBytes)
    throw new StudioApiError(
      'invalid-argument',
      `${where} is ${text.length.toLocaleString('en-US')} characters: a catalog holds at most ${LIMITS.catalogBytes.toLocaleString('en-US')}`,
    );
  try {
    return validateAspectCatalog(parseJson(text, where), where);
  } catch (error) {
    throw new StudioApiError('invalid-argument', (error as Error).message);
  }
}
