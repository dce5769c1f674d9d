import type { Job } from '@merchantops/client/client';
import { statusKind, statusText, type StatusKind } from './format';

const ICONS: Record<StatusKind, string> = {
  queued: '◷',
  running: '↻',
  completed: '✓',
  'with-failures': '⚠',
  stalled: '⚠',
  cancelled: '⊘',
  failed: '✕',
};

export function StatusBadge({ job }: { job: Job }) {
  const kind = statusKind(job);
  return (
    <span class={`badge badge--${kind}`} data-status={kind}>
      <span class="icon" aria-hidden="true">
        {ICONS[kind]}
      </span>
      {statusText(job)}
    </span>
  );
}
