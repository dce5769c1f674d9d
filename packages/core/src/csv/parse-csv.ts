import { Parser, type CsvError } from 'csv-parse';
import { lines } from '../planning/read-text';

/**
 * Streaming RFC 4180 CSV records over csv-parse: text in, records out, never
 * the whole file in memory. Each record carries the line it starts on; a
 * record that breaks the rules comes out as an error with its line, and
 * parsing goes on with the next record, so one bad row does not sink a file.
 *
 * The text is fed to csv-parse a line at a time with \r\n made \n, so line
 * numbers are exact and a line break inside a quoted field is \n. csv-parse
 * recovers by itself from a stray quote in an unquoted field, but after text
 * following a closing quote it would stay inside the quoted field and swallow
 * the lines after it; there a fresh parser starts on the next line.
 */
export type CsvRecord = { line: number; fields: string[] } | { line: number; error: string; raw: string };

/** csv-parse's error codes for a malformed record, in the words of our failure reasons. */
const REASONS: Partial<Record<string, string>> = {
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the file',
};

const RAW_LIMIT = 2000;

export async function* parseCsv(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const ready: CsvRecord[] = [];
  let current = { line: 0, text: '' }; // the line being fed
  let lastErrorLine = 0; // one error per record: csv-parse may report several
  let restart = false;

  const open = (lineOffset: number) => {
    /** The line a record starts on, from the line csv-parse is at and the record's text so far. */
    const startLine = (at: number, raw = '') => {
      const own = raw.replace(/^\n+/, '').replace(/\n$/, ''); // blank lines before it, the line break after it
      return lineOffset + at - (own.match(/\n/g)?.length ?? 0);
    };
    return new Parser({
      bom: true,
      record_delimiter: '\n',
      skip_empty_lines: true,
      relax_column_count: true, // callers check the count against the header
      skip_records_with_error: true,
      raw: true,
      on_record: (row: unknown, info) => {
        const { record, raw } = row as { record: string[]; raw: string }; // with `raw: true`
        if (!restart) ready.push({ line: startLine(info.lines, raw), fields: record });
        return null; // handed out here, not through the stream
      },
      on_skip: (error: CsvError | undefined, raw: string | undefined) => {
        if (restart || !error) return;
        const line = startLine(error.lines as number, raw);
        if (line === lastErrorLine) return;
        lastErrorLine = line;
        // The record's text: what csv-parse read of it, to the end of the line the error is on.
        const soFar = (raw ?? '').replace(/^\n+/, '');
        const whole = lineOffset + (error.lines as number) === current.line ? soFar.slice(0, soFar.lastIndexOf('\n') + 1) + current.text : soFar;
        ready.push({ line, error: REASONS[error.code] ?? error.message, raw: whole.slice(0, RAW_LIMIT) });
        restart = error.code === 'CSV_INVALID_CLOSING_QUOTE';
      },
    });
  };

  let parser = open(0);
  for await (const line of lines(text)) {
    current = line;
    parser.write(`${line.text}\n`);
    if (restart) {
      parser.destroy();
      parser = open(line.line);
      restart = false;
    }
    yield* ready.splice(0);
  }
  await new Promise<void>((resolve, reject) => {
    parser.on('error', reject).on('finish', resolve).end();
  });
  yield* ready.splice(0);
}
