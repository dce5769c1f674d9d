import { newSecretsKey } from '@merchantops/core/webhooks/secret-box';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort } from '@merchantops/local/ports';
import { localSettings } from '@merchantops/local/settings';
import { startStack } from '@merchantops/local/stack';
import { apiClient } from '../support/stack';

const root = path.resolve(__dirname, '../..');
/** A script as `npm start` and `npm run keys` run it (package.json: `run-ts <script>`). */
const runTs = (script: string) => [process.execPath, [path.join(root, 'packages/run-ts/run.mjs'), path.join(root, script)]] as const;

/** Runs `npm start`'s entry point until `ready` matches its output. */
function startMain(env: Record<string, string>) {
  const [node, args] = runTs('packages/local/src/main.ts');
  const child = spawn(node, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return pattern.exec(output)!;
  };
  return { child, exited, waitFor, output: () => output };
}

describe('npm start (packages/local/src/main.ts)', () => {
  it('starts everything, prints the URL and the demo key, serves jobs, and stops cleanly on SIGTERM', async () => {
    const [port, dynamoPort, sqsPort] = [await freePort(), await freePort(), await freePort()];
    const main = startMain({
      IN_MEMORY: '1',
      PORT: String(port),
      DYNAMODB_PORT: String(dynamoPort),
      SQS_PORT: String(sqsPort),
      DEMO_API_KEY: 'mo_demo-key-for-tests',
      LOG_LEVEL: 'info',
    });
    try {
      await main.waitFor(/Ctrl-C stops everything/);
      expect(main.output()).toContain(`http://127.0.0.1:${port}`);
      expect(main.output()).toContain('mo_demo-key-for-tests');
      const api = apiClient(`http://127.0.0.1:${port}`, 'mo_demo-key-for-tests');
      const created = await api.post('/v1/jobs', { type: 'import', items: [{ sku: 'S1', title: 'One', price: 1 }] });
      expect(created.status).toBe(202);
      // The same job log lines and EMF metric records as the Lambdas write, on stdout.
      await main.waitFor(/"message":"job completed"/);
      expect(main.output()).toMatch(/"_aws":\{"Timestamp":\d+,"CloudWatchMetrics":\[\{"Namespace":"MerchantOps\/Jobs"/);
      expect(main.output()).toContain(created.json.id);
    } finally {
      main.child.kill('SIGTERM');
    }
    expect(await main.exited).toBe(0);
    // Both emulators are gone with it.
    for (const p of [port, dynamoPort, sqsPort]) {
      await expect(listenOnce(p)).resolves.toBe(true);
    }
  });

  it('says clearly when a port is taken', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const main = startMain({ IN_MEMORY: '1', DYNAMODB_PORT: String(taken), SQS_PORT: String(await freePort()) });
      const exit = await Promise.race([main.exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))]);
      main.child.kill('SIGTERM');
      expect(exit).toBe(1);
      expect(main.output()).toMatch(new RegExp(`port ${taken} \\(DynamoDB Local\\) is already in use.*DYNAMODB_PORT`));
    } finally {
      blocker.close();
    }
  });

  it('says clearly what to do when Java is missing', async () => {
    // A PATH holding node and nothing else (java usually sits beside node in /usr/bin).
    const bin = mkdtempSync(path.join(tmpdir(), 'no-java-'));
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const main = startMain({
      IN_MEMORY: '1',
      PATH: bin,
      DYNAMODB_PORT: String(await freePort()),
      SQS_PORT: String(await freePort()),
    });
    try {
      expect(await Promise.race([main.exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))])).toBe(1);
      expect(main.output()).toMatch(/Java was not found: DynamoDB Local needs a Java runtime.*apt-get install/s);
    } finally {
      main.child.kill('SIGTERM');
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('npm run keys', () => {
  it('creates keys and webhook secrets, rotates secrets and sets the default callback', async () => {
    const dynamoEndpoint = inject('dynamoEndpoint');
    // The keys command targets the local stack's tables, whose prefix is "local".
    // The stack and the command seal webhook secrets with the same key (npm start: the data folder's key file).
    const secretsKey = newSecretsKey();
    const stack = await startStack({ dynamoEndpoint, sqsEndpoint: inject('sqsEndpoint'), prefix: 'local', webhookSecretsKey: secretsKey });
    try {
      const [node, args] = runTs('packages/local/src/keys.ts');
      const run = spawnSync(node, [...args, 'create', 'newco'], {
        cwd: root,
        env: { ...process.env, DYNAMODB_PORT: new URL(dynamoEndpoint).port, WEBHOOK_SECRETS_KEY: secretsKey },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const key = run.stdout.trim().split('\n').at(-1)!;
      expect(key).toMatch(/^mo_[A-Za-z0-9_-]{32}$/);
      const listed = await apiClient(stack.url, key).get('/v1/jobs');
      expect(listed.status).toBe(200);

      const env = { ...process.env, DYNAMODB_PORT: new URL(dynamoEndpoint).port, WEBHOOK_SECRETS_KEY: secretsKey };
      const secretRun = spawnSync(node, [...args, 'webhook-secret', 'newco'], { cwd: root, env, encoding: 'utf8' });
      expect(secretRun.status, secretRun.stderr).toBe(0);
      const secret = secretRun.stdout.trim().split('\n').at(-1)!;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect((await stack.deps.keys.settings('newco'))?.webhookSecrets.map((s) => s.secret)).toEqual([secret]);
      const rotated = spawnSync(node, [...args, 'webhook-secret', 'newco', '--grace', '60'], { cwd: root, env, encoding: 'utf8' });
      const second = rotated.stdout.trim().split('\n').at(-1)!;
      const stored = (await stack.deps.keys.settings('newco'))!.webhookSecrets;
      expect(stored.map((s) => s.secret)).toEqual([second, secret]);
      expect(stored[1].expiresAt).toEqual(expect.any(String));

      const callback = spawnSync(node, [...args, 'callback-url', 'newco', 'https://hooks.example.com/jobs'], { cwd: root, env, encoding: 'utf8' });
      expect(callback.status, callback.stderr).toBe(0);
      expect((await stack.deps.keys.settings('newco'))?.callbackUrl).toBe('https://hooks.example.com/jobs');
      const badUrl = spawnSync(node, [...args, 'callback-url', 'newco', 'ftp://x'], { cwd: root, env, encoding: 'utf8' });
      expect(badUrl.status).toBe(1);
      expect(badUrl.stderr).toMatch(/callback URL must be/);

      const bad = spawnSync(node, [...args, 'create', 'Not A Tenant'], { cwd: root, encoding: 'utf8' });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/tenant must be/);
    } finally {
      await stack.stop();
    }
  });
});

describe('local settings', () => {
  it('rejects a chunk size above the maximum a chunk record is sized for', () => {
    expect(localSettings({ CHUNK_SIZE: '98' }).chunkSize).toBe(98);
    expect(() => localSettings({ CHUNK_SIZE: '251' })).toThrow(/CHUNK_SIZE must be a whole number from 1 to 250/);
    expect(() => localSettings({ CHUNK_SIZE: '0' })).toThrow(/CHUNK_SIZE/);
    expect(() => localSettings({ WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY/);
    expect(localSettings({})).toMatchObject({ port: 3000, dynamoPort: 8000, sqsPort: 4566, chunkSize: 100, inMemory: false });
  });
});

function listenOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
