import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFor } from '@merchantops/run-ts/bundle.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'run-ts-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cache = path.join(dir, 'cache');
const file = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
/** A change a second later, as an editor's save would be. */
const touch = (name: string) => {
  const later = new Date(Date.now() + 1000);
  utimesSync(path.join(dir, name), later, later);
};

describe('run-ts bundles (packages/run-ts/bundle.mjs)', () => {
  const entry = path.join(dir, 'entry.ts');
  file('entry.ts', "import { word } from './word';\nimport { stat } from 'node:fs';\nexport const said: string = `${word} ${typeof stat}`;\n");
  file('word.ts', "export const word = 'first';\n");

  it('is built on first use, bundling the sources and leaving packages as imports', async () => {
    const { bundle, built } = await bundleFor(entry, cache);
    expect(built).toBe(true);
    const text = readFileSync(bundle, 'utf8');
    expect(text).toContain('"first"');
    expect(text).toMatch(/from "node:fs"/);
    expect(await import(`${bundle}?first`)).toMatchObject({ said: 'first function' });
  });

  it('is reused while no source changed', async () => {
    expect((await bundleFor(entry, cache)).built).toBe(false);
  });

  it('is built again when an imported source changes', async () => {
    file('word.ts', "export const word = 'second';\n");
    touch('word.ts');
    const { bundle, built } = await bundleFor(entry, cache);
    expect(built).toBe(true);
    expect(readFileSync(bundle, 'utf8')).toContain('"second"');
    expect((await bundleFor(entry, cache)).built).toBe(false);
  });

  it('is built again when a source changes size but keeps its time (copied back over it)', async () => {
    const { mtime } = statSync(path.join(dir, 'word.ts'));
    file('word.ts', "export const word = 'third, longer';\n");
    utimesSync(path.join(dir, 'word.ts'), mtime, mtime);
    const { bundle, built } = await bundleFor(entry, cache);
    expect(built).toBe(true);
    expect(readFileSync(bundle, 'utf8')).toContain('"third, longer"');
  });

  it('is not trusted when a source is gone: the build says what is missing', async () => {
    unlinkSync(path.join(dir, 'word.ts'));
    await expect(bundleFor(entry, cache)).rejects.toThrow(/word/);
  });
});
