/**
 * Settings every function of the app shares.
 *
 * Runtime: nodejs22.x (nodejs20.x is deprecated; 24.x would also do).
 *
 * Logs: text format, because the functions write their own JSON lines straight
 * to stdout (packages/functions/src/shared/log.ts), which Lambda passes through
 * as they are, so Logs Insights sees their fields and EMF records stay
 * parseable. Production keeps its logs for three months, other stages for two
 * weeks.
 */
export const runtime = 'nodejs22.x';

export const logging: sst.aws.FunctionLogging = {
  retention: $app.stage === 'production' ? '3 months' : '2 weeks',
  format: 'text',
};
