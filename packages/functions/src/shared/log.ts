const LEVELS = { info: 0, warn: 1, error: 2 } as const;
type Level = keyof typeof LEVELS;

/** One JSON object per line, so CloudWatch Logs Insights can query any field. LOG_LEVEL sets the floor. */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}) {
  const floor = LEVELS[(process.env.LOG_LEVEL as Level) ?? 'info'] ?? LEVELS.info;
  if (LEVELS[level] < floor) return;
  const line = JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}
