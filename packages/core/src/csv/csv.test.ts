import { describe, expect, it } from 'vitest';
import { parseCsv, type CsvRecord } from '@merchantops/core/csv/parse-csv';
import { csvLine } from '@merchantops/core/csv/write-csv';
import { rowToProduct } from '@merchantops/core/products/product-csv';
import { lines } from '@merchantops/core/planning/read-text';

/** Parses text delivered in pieces of `size` characters, to cross piece boundaries everywhere. */
async function parse(text: string, size = 3): Promise<CsvRecord[]> {
  async function* pieces() {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }
  const records: CsvRecord[] = [];
  for await (const record of parseCsv(pieces())) records.push(record);
  return records;
}

describe('parseCsv (RFC 4180, streaming)', () => {
  it('reads plain, quoted, escaped and multi-line fields with the line each record starts on', async () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\r\nlines",\n\n3,,z';
    expect(await parse(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', ''] },
      { line: 6, fields: ['3', '', 'z'] },
    ]);
  });

  it('gives the same records whatever the piece size', async () => {
    const text = 'h1,h2\n"q""uo\nted",plain\r\nlast,"row"\n';
    const expected = await parse(text, text.length);
    for (const size of [1, 2, 5, 7]) expect(await parse(text, size)).toEqual(expected);
  });

  it('reports a broken row with its line and goes on with the next', async () => {
    const records = await parse('a,b\nx"y,1\n"ok",2\n"closed"junk,3\n4,5');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'a quote inside an unquoted field', raw: 'x"y,1' },
      { line: 3, fields: ['ok', '2'] },
      { line: 4, error: 'text after a closing quote', raw: '"closed"junk,3' },
      { line: 5, fields: ['4', '5'] },
    ]);
  });

  it('goes on with the next line after text that follows a closing quote, even in a multi-line record', async () => {
    const records = await parse('\uFEFFh,n\r\n"two\r\nlines"junk,1\r\n"ok",2\r\n"a"b,"c"\r\n5,"six"\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['h', 'n'] },
      { line: 2, error: 'text after a closing quote', raw: '"two\nlines"junk,1' },
      { line: 4, fields: ['ok', '2'] },
      { line: 5, error: 'text after a closing quote', raw: '"a"b,"c"' },
      { line: 6, fields: ['5', 'six'] },
    ]);
  });

  it('reports one error for a row with several stray quotes', async () => {
    expect(await parse('a"b"c,1\n\n\n2,3')).toEqual([
      { line: 1, error: 'a quote inside an unquoted field', raw: 'a"b"c,1' },
      { line: 4, fields: ['2', '3'] },
    ]);
  });

  it('reports a quoted field left open at the end of the file', async () => {
    expect((await parse('a\n"never closed\nstill'))[1]).toMatchObject({
      line: 2,
      error: 'a quoted field is not closed before the end of the file',
    });
  });
});

describe('csvLine', () => {
  it('quotes only what needs it and round-trips through the parser', async () => {
    const values = ['plain', 'a,b', 'say "x"', 'two\nlines', '', 42, null];
    const line = csvLine(values);
    expect(line).toBe('plain,"a,b","say ""x""","two\nlines",,42,\r\n');
    expect((await parse(line)).at(0)).toEqual({ line: 1, fields: ['plain', 'a,b', 'say "x"', 'two\nlines', '', '42', ''] });
  });

  it('writes true/false as words, objects as JSON and quotes a lone carriage return', () => {
    expect(csvLine([true, false, { size: 'L' }, ['a', 'b'], 'cr\r', undefined])).toBe('true,false,"{""size"":""L""}","[""a"",""b""]","cr\r",\r\n');
  });
});

describe('rowToProduct', () => {
  const header = ['sku', 'title', 'price', 'inventory', 'tags', 'images', 'attr:color', 'attributes', '_reason', 'brand'];
  it('types numbers, splits lists, collects attributes, ignores "_" columns and empty cells', () => {
    expect(rowToProduct(header, ['S1', 'T', '9.5', '3', 'a| b |', 'http://x/1.png', 'red', '{"size":"L"}', 'old reason', ''])).toEqual({
      sku: 'S1',
      title: 'T',
      price: 9.5,
      inventory: 3,
      tags: ['a', 'b'],
      images: ['http://x/1.png'],
      attributes: { color: 'red', size: 'L' },
    });
  });

  it('leaves a number that does not parse as text, so validation names the field', () => {
    expect(rowToProduct(['sku', 'price'], ['S', '12,50'])).toEqual({ sku: 'S', price: '12,50' });
  });
});

describe('lines', () => {
  it('splits pieces into numbered lines, with \\n or \\r\\n', async () => {
    async function* pieces() {
      yield 'one\r\ntw';
      yield 'o\n\nthree';
    }
    const out = [];
    for await (const line of lines(pieces())) out.push(line);
    expect(out).toEqual([
      { line: 1, text: 'one' },
      { line: 2, text: 'two' },
      { line: 3, text: '' },
      { line: 4, text: 'three' },
    ]);
  });
});
