/** Turns the runs into the table `npm run bench` prints. */
import { EMPTY_RECEIVE } from './meter';
import type { RunResult } from './measure';

export interface CsvResult {
  rows: number;
  megabytes: number;
  seconds: number;
  rowsPerSecond: number;
  requestsPerRow: number;
  peakRssMb: number;
  peakHeapMb: number;
  exact: boolean;
}

export interface BenchSettings {
  items: number;
  invalidPercent: number;
  seed: number;
  chunkSize: number;
  concurrency: number;
  pairs: number;
}

export interface Summary {
  runs: number;
  itemsPerSecond: number;
  /** Per item, by "Service Operation", averaged over the runs. */
  ops: Record<string, number>;
  /** Milliseconds spent waiting on each operation, per item (summed over concurrent requests). */
  opMs: Record<string, number>;
  requestsPerItem: number;
  emptyReceivesPerItem: number;
  sqsBilledPerItem: number;
  awsWrite: number;
  awsIndexWrite: number;
  awsRead: number;
  localWrite: number;
  localRead: number;
  peakRssMb: number;
  peakHeapMb: number;
  exact: boolean;
  pollsPerRun: number;
}

export interface BenchReport {
  settings: BenchSettings;
  machine: string;
  commit: string;
  project: Summary;
  perItem: Summary;
  /** items/s project ÷ per-item, per pair, in run order. */
  ratios: number[];
  ratio: number;
  csv?: CsvResult | { error: string };
}

export const TARGETS = { ratio: 6, requestsPerItem: 0.08, writeUnitsPerItem: 1.05 };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Requests the pipeline made, idle (empty) receives left out: those depend on wall time, not on items. */
export function requestCount(run: RunResult): number {
  return Object.entries(run.ops).reduce((sum, [name, op]) => sum + (name === EMPTY_RECEIVE ? 0 : op.count), 0);
}

export function summarize(runs: RunResult[]): Summary {
  const perItem = (f: (run: RunResult) => number) => mean(runs.map((run) => f(run) / run.items));
  const names = [...new Set(runs.flatMap((run) => Object.keys(run.ops)))].sort();
  const ops = Object.fromEntries(names.map((name) => [name, perItem((run) => run.ops[name]?.count ?? 0)]));
  const opMs = Object.fromEntries(names.map((name) => [name, perItem((run) => run.ops[name]?.ms ?? 0)]));
  const sqsBilled = (run: RunResult) =>
    Object.entries(run.ops).reduce((sum, [name, op]) => sum + (name.startsWith('SQS ') && name !== EMPTY_RECEIVE ? op.billed : 0), 0);
  return {
    runs: runs.length,
    itemsPerSecond: median(runs.map((run) => run.itemsPerSecond)),
    ops,
    opMs,
    requestsPerItem: perItem(requestCount),
    emptyReceivesPerItem: perItem((run) => run.ops[EMPTY_RECEIVE]?.count ?? 0),
    sqsBilledPerItem: perItem(sqsBilled),
    awsWrite: perItem((run) => run.aws.write),
    awsIndexWrite: perItem((run) => run.aws.indexWrite),
    awsRead: perItem((run) => run.aws.read),
    localWrite: perItem((run) => run.local.write),
    localRead: perItem((run) => run.local.read),
    peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
    peakHeapMb: Math.max(...runs.map((run) => run.peakHeapMb)),
    exact: runs.every((run) => run.counters.exact),
    pollsPerRun: mean(runs.map((run) => run.polls.count)),
  };
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows
    .map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   '))
    .join('\n');
}

export function formatReport(report: BenchReport): string {
  const { settings: s, project: p, perItem: b } = report;
  const pass = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const rows: string[][] = [
    ['', 'project', 'per-item', ''],
    ['items/s (median)', fixed(p.itemsPerSecond, 0), fixed(b.itemsPerSecond, 0), `ratio ${fixed(report.ratio, 2)}× (median of pairs)`],
    ['AWS requests per item', fixed(p.requestsPerItem, 4), fixed(b.requestsPerItem, 4), `÷ ${fixed(b.requestsPerItem / p.requestsPerItem, 1)}`],
  ];
  for (const name of [...new Set([...Object.keys(p.ops), ...Object.keys(b.ops)])].sort()) {
    if (name === EMPTY_RECEIVE) continue;
    rows.push([`  ${name}`, fixed(p.ops[name] ?? 0, 4), fixed(b.ops[name] ?? 0, 4), '']);
  }
  rows.push(
    [`  (${EMPTY_RECEIVE.replace('SQS ', '')}, not counted)`, fixed(p.emptyReceivesPerItem, 4), fixed(b.emptyReceivesPerItem, 4), 'idle long polls'],
    ['SQS billed requests per item (64 KB)', fixed(p.sqsBilledPerItem, 4), fixed(b.sqsBilledPerItem, 4), ''],
    ['DynamoDB write units per item, AWS rules', fixed(p.awsWrite, 3), fixed(b.awsWrite, 3), `÷ ${fixed(b.awsWrite / p.awsWrite, 1)}`],
    ['  of which index copies', fixed(p.awsIndexWrite, 3), fixed(b.awsIndexWrite, 3), ''],
    ['DynamoDB write units per item, as Local reports', fixed(p.localWrite, 3), fixed(b.localWrite, 3), ''],
    ['DynamoDB read units per item, AWS rules', fixed(p.awsRead, 3), fixed(b.awsRead, 3), ''],
    ['DynamoDB read units per item, as Local reports', fixed(p.localRead, 3), fixed(b.localRead, 3), ''],
    ['peak memory: RSS / heap MB (bench process)', `${fixed(p.peakRssMb, 0)} / ${fixed(p.peakHeapMb, 0)}`, `${fixed(b.peakRssMb, 0)} / ${fixed(b.peakHeapMb, 0)}`, ''],
    ['counters exact (processed, failed, products)', p.exact ? `yes (${p.runs}/${p.runs})` : 'NO', b.exact ? `yes (${b.runs}/${b.runs})` : 'NO', ''],
  );
  const lines = [
    `MerchantOps Jobs benchmark: ${s.items} items (${s.invalidPercent}% invalid, seed ${s.seed}), chunk size ${s.chunkSize}, ` +
      `worker concurrency ${s.concurrency}, ${s.pairs} alternating pair(s)`,
    `commit ${report.commit}; ${report.machine}; DynamoDB Local + fauxqs on 127.0.0.1`,
    '',
    table(rows),
    '',
    `pairs (project ÷ per-item items/s): ${report.ratios.map((r) => `${fixed(r, 2)}×`).join(', ')}; ` +
      `status polls per run (not counted): ${fixed(p.pollsPerRun, 0)} / ${fixed(b.pollsPerRun, 0)}`,
    `targets: ≥ ${TARGETS.ratio}× items/s ${pass(report.ratio >= TARGETS.ratio)}; ` +
      `≤ ${TARGETS.requestsPerItem} requests/item ${pass(p.requestsPerItem <= TARGETS.requestsPerItem)}; ` +
      `≤ ${TARGETS.writeUnitsPerItem} write units/item ${pass(p.awsWrite <= TARGETS.writeUnitsPerItem)}`,
  ];
  const timeLine = (label: string, summary: Summary) => {
    const top = Object.entries(summary.opMs)
      .filter(([name]) => name !== EMPTY_RECEIVE)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 4)
      .map(([name, ms]) => `${name} ${fixed(ms, 2)}`);
    return `  ${label}: ${top.join(', ')}`;
  };
  lines.push('', 'request time per item (ms, summed over concurrent requests), largest first:', timeLine('project', p), timeLine('per-item', b));
  if (report.csv && 'error' in report.csv) lines.push('', `uploaded CSV: the measurement failed: ${report.csv.error}`);
  else if (report.csv) {
    const c = report.csv;
    lines.push(
      '',
      `uploaded CSV: ${c.rows} rows (${fixed(c.megabytes, 1)} MB), ${fixed(c.seconds, 1)} s from POST /v1/jobs to completed = ` +
        `${fixed(c.rowsPerSecond, 0)} rows/s; ${fixed(c.requestsPerRow, 4)} requests/row; ` +
        `peak RSS ${fixed(c.peakRssMb, 0)} MB, heap ${fixed(c.peakHeapMb, 0)} MB; counters exact: ${c.exact ? 'yes' : 'NO'}`,
    );
  }
  return lines.join('\n');
}
