import type { TestProject } from 'vitest/node';
import { tsImport } from 'tsx/esm/api';

/**
 * The JVM options of every DynamoDB Local a test run starts (this one, and the
 * ones the `npm start` tests spawn, which inherit the environment): on two
 * cores, compiling with C2 costs these short-lived JVMs more CPU than it wins
 * back (about 10 s of a whole run). `npm start` itself keeps the JVM's defaults.
 */
const testJvmOptions = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/**
 * Loaded by Node itself (through tsx), not through Vite: Vitest runs a global setup file in a Vite
 * environment that resolves packages to their ES builds, which for the AWS SDK meant transforming
 * some 900 modules before the first test could start (about 4 s of every run).
 */
const emulatorsModule = () =>
  tsImport('@merchantops/local/emulators', import.meta.url) as Promise<typeof import('@merchantops/local/emulators')>;

export default async function setup(project: TestProject) {
  process.env.JAVA_TOOL_OPTIONS = [process.env.JAVA_TOOL_OPTIONS, testJvmOptions].filter(Boolean).join(' ');
  const { startEmulators } = await emulatorsModule();
  const emulators = await startEmulators();
  project.provide('dynamoEndpoint', emulators.dynamoEndpoint);
  project.provide('sqsEndpoint', emulators.sqsEndpoint);
  return () => emulators.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
  }
}
