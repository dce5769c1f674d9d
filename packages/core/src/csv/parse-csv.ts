/**
 * Streaming RFC 4180 CSV parser: text in, records out, never the whole file
 * in memory. Fields may be quoted ("a ""b"" c"), quoted fields may hold commas
 * and line breaks, lines end in \n or \r\n. A record that breaks the rules is
 * reported as an error with its line number, and parsing goes on with the
 * next line, so one bad row does not sink a file.
 */
export type CsvRecord = { line: number; fields: string[] } | { line: number; error: string; raw: string };

export async function* parseCsv(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let raw = '';
  let state: 'start' | 'unquoted' | 'quoted' | 'quote-in-quoted' | 'bad' = 'start';
  let error = '';
  let line = 1; // line of the current character
  let recordLine = 1; // line the current record started on

  const endRecord = (): CsvRecord | undefined => {
    const rec: CsvRecord | undefined =
      state === 'bad'
        ? { line: recordLine, error, raw }
        : fields.length === 0 && field === '' && state === 'start'
          ? undefined // blank line
          : { line: recordLine, fields: [...fields, field] };
    fields = [];
    field = '';
    raw = '';
    state = 'start';
    return rec;
  };

  let pendingCR = false;
  for await (const chunk of chunks) {
    for (const ch of chunk) {
      if (pendingCR) {
        pendingCR = false;
        if (ch === '\n') continue; // \r\n already ended the record
      }
      const newline = ch === '\n' || ch === '\r';
      if (newline && state !== 'quoted') {
        const rec = endRecord();
        if (rec) yield rec;
        line++;
        recordLine = line;
        pendingCR = ch === '\r';
        continue;
      }
      if (newline) {
        // A line break inside a quoted field is part of the value (\r\n kept as \n).
        line++;
        pendingCR = ch === '\r';
        field += '\n';
        if (raw.length < 2000) raw += '\n';
        continue;
      }
      if (raw.length < 2000) raw += ch;
      switch (state) {
        case 'bad':
          break;
        case 'start':
          if (ch === '"') state = 'quoted';
          else if (ch === ',') fields.push('');
          else {
            field = ch;
            state = 'unquoted';
          }
          break;
        case 'unquoted':
          if (ch === ',') {
            fields.push(field);
            field = '';
            state = 'start';
          } else if (ch === '"') {
            state = 'bad';
            error = 'a quote inside an unquoted field';
          } else field += ch;
          break;
        case 'quoted':
          if (ch === '"') state = 'quote-in-quoted';
          else field += ch;
          break;
        case 'quote-in-quoted':
          if (ch === '"') {
            field += '"';
            state = 'quoted';
          } else if (ch === ',') {
            fields.push(field);
            field = '';
            state = 'start';
          } else {
            state = 'bad';
            error = 'text after a closing quote';
          }
          break;
      }
    }
  }
  if (state === 'quoted') {
    state = 'bad';
    error = 'a quoted field is not closed before the end of the file';
  }
  const last = endRecord();
  if (last) yield last;
}
