/** One JSON object per line, so CloudWatch Logs Insights can query any field. */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn' || process.env.LOG_LEVEL !== 'warn') console.log(line);
}
