// What changed between the catalog one judgement was made with and the next's: the words shown
// beside "before edit" / "after edit", so a score change can be read against the edit behind it.
import type { AspectCatalogDto } from '../../../../../shared/studioApi';

type Aspect = AspectCatalogDto['aspects'][number];

/** One line per change, e.g. "Brevity: rubric", "+ Tone", "− Depth", "static set"; empty when the two are the same. */
export function catalogChanges(before: AspectCatalogDto, after: AspectCatalogDto): string[] {
  const old = new Map(before.aspects.map((a) => [a.name, a]));
  const now = new Map(after.aspects.map((a) => [a.name, a]));
  const changes: string[] = [];
  for (const aspect of after.aspects) {
    const was = old.get(aspect.name);
    if (!was) changes.push(`+ ${aspect.name || 'an unnamed aspect'}`);
    else {
      const parts = fieldChanges(was, aspect);
      if (parts.length > 0) changes.push(`${aspect.name}: ${parts.join(', ')}`);
    }
  }
  for (const aspect of before.aspects) if (!now.has(aspect.name)) changes.push(`− ${aspect.name}`);
  if (JSON.stringify([...before.staticAspects].sort()) !== JSON.stringify([...after.staticAspects].sort()))
    changes.push('static set');
  return changes;
}

function fieldChanges(was: Aspect, now: Aspect): string[] {
  const parts: string[] = [];
  if (was.description !== now.description) parts.push('selector line');
  if ((was.rubric ?? '') !== (now.rubric ?? '')) parts.push('rubric');
  if (was.enabled !== now.enabled) parts.push(now.enabled ? 'enabled' : 'disabled');
  return parts;
}
