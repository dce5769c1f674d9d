import { outcomeOf, type Job } from '@merchantops/client/client';
import { formatCount, formatDuration, formatPercent, formatRate, type Estimate } from '@merchantops/client/progress-meter';

/** Human output: plain text, colours only on a terminal (and never with NO_COLOR). */

export interface Terminal {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  /** stdout is a terminal: progress bars redraw in place, colours on. */
  tty: boolean;
  color: boolean;
  columns: number;
}

export function terminal(env: NodeJS.ProcessEnv): Terminal {
  const tty = Boolean(process.stdout.isTTY);
  return {
    out: process.stdout,
    err: process.stderr,
    tty,
    color: tty && !env.NO_COLOR && env.TERM !== 'dumb',
    columns: process.stdout.columns || 100,
  };
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, grey: 90, bold: 1 } as const;
export const paint = (term: Terminal, color: keyof typeof CODES, text: string) =>
  term.color ? `\x1b[${CODES[color]}m${text}\x1b[0m` : text;

export function statusLabel(term: Terminal, job: Job): string {
  switch (outcomeOf(job)) {
    case 'clean':
      return paint(term, 'green', '✓ completed');
    case 'with-failures':
      return paint(term, 'yellow', '⚠ completed with failures');
    case 'unsuccessful':
      return paint(term, job.status === 'failed' ? 'red' : 'grey', job.status === 'failed' ? '✕ failed' : '⊘ cancelled');
    default:
      return paint(term, 'blue', job.planning ? `${job.status} (reading items)` : job.status);
  }
}

/** Aligned columns; the last column is not padded. */
export function table(headers: string[], rows: string[][]): string {
  const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => visible(row[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i] - visible(cell))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `[██████░░░░] 61.3%  613/1,000  failed 12  142 items/s  ETA 3 s` */
export function progressLine(term: Terminal, job: Job, estimate: Estimate): string {
  const width = Math.max(10, Math.min(30, term.columns - 80));
  const filled = job.total === null ? 0 : Math.floor((job.progress / 100) * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  const parts = [
    paint(term, outcomeOf(job) === 'with-failures' || (job.failed > 0 && outcomeOf(job) === 'active') ? 'yellow' : 'blue', bar),
    job.total === null ? 'counting…' : formatPercent(job.progress).padStart(6),
    `${formatCount(job.processed)}/${formatCount(job.total)}`,
    job.failed > 0 ? paint(term, 'yellow', `failed ${formatCount(job.failed)}`) : 'failed 0',
    formatRate(estimate.rate),
    outcomeOf(job) === 'active' ? `ETA ${formatDuration(estimate.etaSeconds)}` : `took ${formatDuration(estimate.elapsedSeconds)}`,
  ];
  return parts.join('  ');
}

export function jobDetails(term: Terminal, job: Job): string {
  const rows: [string, string][] = [
    ['id', job.id],
    ['type', job.type + (job.dryRun ? ' (dry run)' : '') + (job.format ? ` (${job.format})` : '')],
    ['status', statusLabel(term, job)],
    ['progress', `${formatPercent(job.progress)}${job.total === null ? ' (counting items)' : ''}`],
    ['total', formatCount(job.total)],
    ['processed', formatCount(job.processed)],
    ['succeeded', formatCount(job.succeeded)],
    ['failed', formatCount(job.failed)],
    ['created', job.createdAt],
    ['completed', job.completedAt ?? '–'],
  ];
  if (job.error) rows.push(['error', paint(term, 'red', job.error)]);
  if (job.result) rows.push(['result', Object.entries(job.result).map(([k, v]) => `${k} ${typeof v === 'number' ? formatCount(v) : v}`).join(', ')]);
  if (job.retryOf) rows.push(['retry of', job.retryOf]);
  if (job.retries.length) rows.push(['retried by', job.retries.join(', ')]);
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value]) => `${paint(term, 'grey', name.padEnd(width))}  ${value}`);
  if (job.failureSummary.length) {
    lines.push('', paint(term, 'bold', 'failures by reason'));
    lines.push(table(['ITEMS', 'REASON'], job.failureSummary.map(({ reason, count }) => [formatCount(count).padStart(5), reason])));
  }
  return lines.join('\n');
}
