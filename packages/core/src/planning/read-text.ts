import type { Readable } from 'node:stream';

/** A byte stream as UTF-8 text pieces; invalid UTF-8 is an error, not silent replacement characters. */
export async function* utf8(bytes: Readable | AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  for await (const piece of bytes) yield decoder.decode(piece as Uint8Array, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Text pieces as lines (without their \n or \r\n), numbered from 1. */
export async function* lines(text: AsyncIterable<string>): AsyncGenerator<{ line: number; text: string }> {
  let buffer = '';
  let line = 0;
  for await (const piece of text) {
    buffer += piece;
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      yield { line: ++line, text: buffer.slice(0, at).replace(/\r$/, '') };
      buffer = buffer.slice(at + 1);
    }
  }
  if (buffer) yield { line: ++line, text: buffer.replace(/\r$/, '') };
}
