/**
 * `npm run bench`: starts DynamoDB Local (in memory) and fauxqs on loopback,
 * measures this project and the per-item baseline on the same items, prints the table.
 */
import { parseArgs } from 'node:util';
import { startEmulators } from '@merchantops/local/emulators';
import { DEFAULTS, runBenchmark } from './bench';
import { formatReport } from './report';

const HELP = `npm run bench -- [options]

  --items N            items per import (default ${DEFAULTS.items}; more than 10,000 become several jobs)
  --chunk-size K       the project's items per chunk (default: the project's own default)
  --concurrency C      worker invocations at once, for both designs (default ${DEFAULTS.concurrency})
  --pairs P            alternating project/per-item pairs; the ratio is their median (default ${DEFAULTS.pairs})
  --invalid-percent X  share of invalid items (default ${DEFAULTS.invalidPercent})
  --seed S             workload seed (default ${DEFAULTS.seed})
  --csv-rows R         rows of the uploaded-CSV measurement (default ${DEFAULTS.csvRows})
  --skip-csv           no uploaded-CSV measurement
  --no-fair-share      the project without its fair-share event source (the plain first-come bridge)
  --json               print the results as JSON after the table`;

const { values } = parseArgs({
  options: {
    items: { type: 'string' },
    'chunk-size': { type: 'string' },
    concurrency: { type: 'string' },
    pairs: { type: 'string' },
    'invalid-percent': { type: 'string' },
    seed: { type: 'string' },
    'csv-rows': { type: 'string' },
    'skip-csv': { type: 'boolean' },
    'no-fair-share': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

function number(name: keyof typeof values, fallback: number, min: number, max: number): number;
function number(name: keyof typeof values, fallback: undefined, min: number, max: number): number | undefined;
function number(name: keyof typeof values, fallback: number | undefined, min: number, max: number) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    console.error(`--${name} must be a number from ${min} to ${max}, got "${raw}"\n\n${HELP}`);
    process.exit(1);
  }
  return value;
}

const options = {
  items: Math.round(number('items', DEFAULTS.items, 1, 1_000_000)),
  chunkSize: number('chunk-size', undefined, 1, 10_000),
  concurrency: Math.round(number('concurrency', DEFAULTS.concurrency, 1, 100)),
  pairs: Math.round(number('pairs', DEFAULTS.pairs, 1, 50)),
  invalidPercent: number('invalid-percent', DEFAULTS.invalidPercent, 0, 100),
  seed: Math.round(number('seed', DEFAULTS.seed, 0, 2 ** 32 - 1)),
  csvRows: values['skip-csv'] ? 0 : Math.round(number('csv-rows', DEFAULTS.csvRows, 0, 10_000_000)),
  fairShare: !values['no-fair-share'],
  log: (line: string) => console.error(line),
};

// The stack's request and chunk log lines would bury the table (and cost the project CPU the baseline does not spend).
process.env.LOG_LEVEL ??= 'error';
const emulators = await startEmulators();
try {
  const report = await runBenchmark(emulators, options);
  console.log(formatReport(report));
  if (values.json) console.log(JSON.stringify(report, null, 2));
} finally {
  await emulators.stop();
}
