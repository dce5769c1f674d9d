import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Command-line parsing: global options, then `jobs <command>` with its own options. */

type Options = NonNullable<ParseArgsConfig['options']>;

export const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} satisfies Options;

const WATCH = { watch: { type: 'boolean', short: 'w' }, interval: { type: 'string' } } satisfies Options;

export const COMMANDS = {
  create: {
    args: [],
    options: {
      type: { type: 'string', short: 't' },
      file: { type: 'string', short: 'f' },
      upload: { type: 'boolean' },
      all: { type: 'boolean' },
      missing: { type: 'string' },
      format: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'max-failure-percent': { type: 'string' },
      'callback-url': { type: 'string' },
      'idempotency-key': { type: 'string' },
      ...WATCH,
    },
  },
  list: {
    args: [],
    options: {
      type: { type: 'string', short: 't' },
      status: { type: 'string', short: 's' },
      limit: { type: 'string', short: 'n' },
      cursor: { type: 'string' },
      all: { type: 'boolean' },
    },
  },
  show: { args: ['id'], options: {} },
  watch: { args: ['id'], options: { interval: WATCH.interval } },
  failures: { args: ['id'], options: { limit: { type: 'string', short: 'n' }, cursor: { type: 'string' }, all: { type: 'boolean' } } },
  retry: { args: ['id'], options: { reason: { type: 'string' }, 'idempotency-key': { type: 'string' }, ...WATCH } },
  cancel: { args: ['id'], options: {} },
  download: { args: ['id'], options: { failures: { type: 'boolean' }, output: { type: 'string', short: 'o' } } },
} satisfies Record<string, { args: string[]; options: Options }>;

export type CommandName = keyof typeof COMMANDS;
export type Values = Record<string, string | boolean | undefined>;

export class UsageError extends Error {}

export interface Parsed {
  command?: CommandName;
  positionals: string[];
  values: Values;
}

export function parseCommandLine(argv: string[]): Parsed {
  // Every option any command knows, so that values are told from positionals; then each command's own are checked.
  const all: Options = { ...GLOBAL_OPTIONS };
  for (const command of Object.values(COMMANDS)) Object.assign(all, command.options);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: all, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  const values = parsed.values as Values;
  const [group, name, ...rest] = parsed.positionals;
  if (group === undefined) return { positionals: [], values };
  if (group !== 'jobs') throw new UsageError(`unknown command "${group}" (try: merchantops jobs --help)`);
  if (name === undefined) return { positionals: [], values };
  if (!(name in COMMANDS)) throw new UsageError(`unknown command "jobs ${name}" (try: merchantops jobs --help)`);
  const command = name as CommandName;
  const spec = COMMANDS[command];
  for (const option of Object.keys(values)) {
    if (!(option in GLOBAL_OPTIONS) && !(option in spec.options)) throw new UsageError(`jobs ${command} has no option --${option}`);
  }
  if (!values.help) {
    if (rest.length < spec.args.length) throw new UsageError(`jobs ${command} needs <${spec.args[rest.length]}>`);
    if (rest.length > spec.args.length) throw new UsageError(`jobs ${command}: unexpected argument "${rest[spec.args.length]}"`);
  }
  return { command, positionals: rest, values };
}

/** A whole number option within bounds, or undefined when not given. */
export function integerOption(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export const stringOption = (values: Values, name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};
