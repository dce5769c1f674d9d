import { vi } from 'vitest';

export type Line = Record<string, any>;

/**
 * Captures what this process writes to stdout and stderr (where the handlers'
 * log lines and EMF records go: Powertools writes INFO lines and EMF records
 * to stdout, WARN and ERROR lines to stderr, and Lambda passes both on to
 * CloudWatch Logs) instead of printing it, in the order written, until `stop()`.
 */
export function captureStdout() {
  let text = '';
  const capture = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  const raw = () => text.split('\n').filter((line) => line.length > 0);
  return {
    /** Everything written, as one string: for "this never appears anywhere" checks. */
    text: () => text,
    /** Every line parsed as JSON; a line that is not JSON fails the test here. */
    lines: (): Line[] =>
      raw().map((line) => {
        try {
          return JSON.parse(line);
        } catch {
          throw new Error(`stdout line is not JSON: ${line}`);
        }
      }),
    stop: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

export type Capture = ReturnType<typeof captureStdout>;

export const isEmf = (line: Line) => line._aws !== undefined;

/** Log lines (not EMF records). */
export const logLines = (lines: Line[]) => lines.filter((line) => !isEmf(line));

/** EMF records holding the named metric. */
export const emfWith = (lines: Line[], metric: string) =>
  lines.filter(
    (line) => isEmf(line) && line._aws.CloudWatchMetrics.some((d: Line) => d.Metrics.some((m: Line) => m.Name === metric)),
  );

/** The sum of a metric over the records that hold it. */
export const total = (lines: Line[], metric: string) => emfWith(lines, metric).reduce((sum, line) => sum + line[metric], 0);
