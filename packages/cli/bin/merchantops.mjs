#!/usr/bin/env node
// The `merchantops` command: runs the TypeScript sources through tsx, so there is nothing to build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
