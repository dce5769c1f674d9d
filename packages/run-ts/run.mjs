#!/usr/bin/env node
// `run-ts entry.ts [args…]`: runs entry.ts from its bundle (./bundle.mjs) as `node entry.ts [args…]` would.
import path from 'node:path';
import { importBundled } from './bundle.mjs';

const [node, , entry, ...args] = process.argv;
if (!entry) {
  console.error('usage: run-ts entry.ts [arguments…]');
  process.exit(1);
}
process.argv = [node, path.resolve(entry), ...args];
await importBundled(path.resolve(entry));
