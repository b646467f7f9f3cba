// Checks the runs and experiments watched for their end (endNotices.ts) every few seconds, on any
// screen, and shows the desktop notification when one is due. Renders nothing.
import { useEffect } from 'react';
import { endDecision, runningSince } from '../../../shared/endDecision';
import type { StudioApi } from '../../../shared/studioApi';
import { endNotice, unwatch, watchedItems } from './endNotices';

const CHECK_MS = 3000;

export function EndNotifier({ studio }: { studio: StudioApi }) {
  useEffect(() => {
    let busy = false;
    const check = async () => {
      const items = watchedItems();
      if (busy || items.length === 0) return;
      busy = true;
      try {
        const [runs, experiments] = await Promise.all([
          items.some((i) => i.kind === 'run') ? studio.runs.list() : [],
          items.some((i) => i.kind === 'experiment') ? studio.experiments.list() : [],
        ]);
        const inSight = document.visibilityState === 'visible' && document.hasFocus();
        const permission = typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
        for (const item of items) {
          const summary = (item.kind === 'run' ? runs : experiments).find((s) => s.id === item.id);
          if (!summary) {
            unwatch(item.kind, item.id); // removed meanwhile
            continue;
          }
          const since = runningSince(item, summary.createdAt);
          const decision = endDecision({ status: summary.status, since, now: Date.now(), inSight, permission });
          if (decision === 'watch') continue;
          unwatch(item.kind, item.id);
          if (decision === 'notify') {
            const { title, body } = endNotice(item.kind, item.id, summary.name, summary.status, summary.failed);
            new Notification(title, { body, tag: `${item.kind}:${item.id}` });
          }
        }
      } catch {
        // The service is unreachable for now: the next check tries again.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void check(), CHECK_MS);
    return () => clearInterval(timer);
  }, [studio]);
  return null;
}
