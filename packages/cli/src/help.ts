import type { CommandName } from './args';

export const EXIT = {
  /** Done; for watch: the job completed and every item succeeded. */
  ok: 0,
  /** Bad usage, an API or network error, or (watch) a job that failed or was cancelled. */
  error: 1,
  /** watch: the job completed, but some items failed. */
  completedWithFailures: 2,
} as const;

export const MAIN_HELP = `merchantops: batch jobs over product data (MerchantOps Jobs API)

Usage: merchantops [--url URL] [--key KEY] [--json] jobs <command> [options]

Commands:
  jobs create --type import --file products.csv|products.jsonl   import a file
  jobs create --type enrichment --all                            enrich every product
  jobs create --type export --all [--format csv|jsonl]           export every product
  jobs list [--type T] [--status S] [--limit N] [--all]          newest first
  jobs show <id>                                                 a job, with failures by reason
  jobs watch <id>                                                live progress until it finishes
  jobs failures <id> [--limit N] [--all]                         the failed items
  jobs retry <id> [--reason R] [--watch]                         retry the failed items
  jobs cancel <id>                                               cancel a queued or running job
  jobs download <id> [--failures] [-o FILE]                      the export file, or the failed rows (CSV)

Global options:
  --url URL     API address (default: $MERCHANTOPS_URL, else http://127.0.0.1:3000)
  --key KEY     API key (default: $MERCHANTOPS_API_KEY)
  --json        machine-readable output: JSON (watch: one JSON line per change)
  -h, --help    help; "merchantops jobs <command> --help" for a command

Exit status:
  0  done (watch: the job completed and every item succeeded)
  2  watch: the job completed, but some items failed
  1  error: bad usage, the API refused or could not be reached, or (watch) the job failed or was cancelled
`;

export const COMMAND_HELP: Record<CommandName, string> = {
  create: `Usage: merchantops jobs create --type import --file FILE [--dry-run] [--upload] [--watch]
       merchantops jobs create --type enrichment (--all | --missing FIELDS) [--watch]
       merchantops jobs create --type export (--all | --missing FIELDS) [--format csv|jsonl] [--watch]

Creates a job and prints it.
  -t, --type TYPE              import, enrichment or export
  -f, --file FILE              import: a .csv, .jsonl or .ndjson file. A small JSON Lines file (up to 1 MiB,
                               every line valid JSON) is sent in the request; anything else is uploaded
                               (POST /v1/uploads) and read by the service, so files of any size work
      --upload                 import: always upload the file
      --dry-run                import: validate and count, write nothing
      --all                    enrichment/export: every stored product
      --missing FIELDS         enrichment/export: products missing any of these fields (comma-separated)
      --format csv|jsonl       export: file format (default csv)
      --max-failure-percent N  fail the job once more than N% of its items have failed
      --callback-url URL       POST a signed callback here when the job finishes
      --idempotency-key KEY    repeat the command with the same key and get the same job
  -w, --watch                  then watch it (exit status as for watch)
`,
  list: `Usage: merchantops jobs list [--type T] [--status S] [--limit N] [--cursor C | --all]

Lists jobs, newest first.
  -t, --type TYPE      import, enrichment or export
  -s, --status STATUS  queued, running, completed, cancelled or failed
  -n, --limit N        jobs per page, 1-100 (default 20)
      --cursor C       the next page (printed after a page)
      --all            every page
`,
  show: `Usage: merchantops jobs show <id>

Shows a job: counters, timing, result and failures by reason.
`,
  watch: `Usage: merchantops jobs watch <id> [--interval MS]

Shows a live progress bar (processed/total, failed, rate, ETA) until the job finishes.
On a terminal the bar redraws in place; otherwise a line is printed as it changes (at most once a second).
With --json, one JSON line per change.
      --interval MS   time between checks (default 1000)

Exit status: 0 completed with no failed items, 2 completed with failed items,
1 the job failed or was cancelled, or an error.
`,
  failures: `Usage: merchantops jobs failures <id> [--limit N] [--cursor C] [--all]

Lists the failed items of a job with their reasons, by item index.
  -n, --limit N   items per page, 1-1000 (default 20)
      --cursor C  the next page (printed after a page)
      --all       every page
`,
  retry: `Usage: merchantops jobs retry <id> [--reason REASON] [--watch]

Starts a new job over the failed items of a finished job (or only those that failed with REASON).
      --reason REASON         a reason from "jobs show"
      --idempotency-key KEY   repeat the command with the same key and get the same job
  -w, --watch                 then watch the new job
`,
  cancel: `Usage: merchantops jobs cancel <id>

Cancels a queued or running job: items not started yet are skipped.
`,
  download: `Usage: merchantops jobs download <id> [--failures] [-o FILE]

Downloads the file of a completed export job, or with --failures every failed row as CSV
(the original columns plus _index, _reason and _attempts: fix them and import the file again).
  -o, --output FILE   where to save it ("-" for standard output); default: the file's own name
`,
};
