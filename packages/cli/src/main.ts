import { ApiError, createClient } from '@merchantops/client/client';
import { parseCommandLine, stringOption, UsageError } from './args';
import * as commands from './commands';
import { COMMAND_HELP, EXIT, MAIN_HELP } from './help';
import { terminal } from './output';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** Runs one command line; resolves to the exit status (see EXIT). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const term = terminal(env);
  let json = argv.includes('--json');
  try {
    const { command, positionals, values } = parseCommandLine(argv);
    json = Boolean(values.json);
    if (values.version) {
      term.out.write('merchantops 0.1.0\n');
      return EXIT.ok;
    }
    if (!command || values.help) {
      term.out.write(command ? COMMAND_HELP[command] : MAIN_HELP);
      return command || values.help ? EXIT.ok : EXIT.error;
    }
    const url = stringOption(values, 'url') ?? env.MERCHANTOPS_URL ?? DEFAULT_URL;
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`the API URL must start with http:// or https:// (got "${url}")`);
    const apiKey = stringOption(values, 'key') ?? env.MERCHANTOPS_API_KEY;
    if (!apiKey) throw new UsageError('no API key: pass --key or set MERCHANTOPS_API_KEY');
    const ctx: commands.Context = { client: createClient({ baseUrl: url, apiKey }), term, json };
    const [id] = positionals;
    switch (command) {
      case 'create':
        return await commands.create(ctx, values);
      case 'list':
        return await commands.list(ctx, values);
      case 'show':
        return await commands.show(ctx, id);
      case 'watch':
        return await commands.watch(ctx, id, values);
      case 'failures':
        return await commands.failures(ctx, id, values);
      case 'retry':
        return await commands.retry(ctx, id, values);
      case 'cancel':
        return await commands.cancel(ctx, id);
      case 'download':
        return await commands.download(ctx, id, values);
    }
  } catch (error) {
    reportError(term.err, json, error);
    return EXIT.error;
  }
}

function reportError(err: NodeJS.WriteStream, json: boolean, error: unknown) {
  const details =
    error instanceof ApiError
      ? { code: error.code, message: error.message, status: error.status }
      : error instanceof UsageError
        ? { code: 'usage', message: error.message }
        : { code: 'internal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  if (json) err.write(`${JSON.stringify({ error: details })}\n`);
  else {
    const status = 'status' in details && details.status ? ` (HTTP ${details.status} ${details.code})` : '';
    err.write(`merchantops: ${details.message}${status}\n`);
    if (details.code === 'usage') err.write('run "merchantops --help" for usage\n');
  }
}
