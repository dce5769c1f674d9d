import type { TestProject } from 'vitest/node';
import { startEmulators } from '@merchantops/local/emulators';

/**
 * The JVM options of every DynamoDB Local a test run starts (this one, and the
 * ones the `npm start` tests spawn, which inherit the environment): on two
 * cores, compiling with C2 costs these short-lived JVMs more CPU than it wins
 * back (about 10 s of a whole run). `npm start` itself keeps the JVM's defaults.
 */
const testJvmOptions = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

export default async function setup(project: TestProject) {
  process.env.JAVA_TOOL_OPTIONS = [process.env.JAVA_TOOL_OPTIONS, testJvmOptions].filter(Boolean).join(' ');
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
