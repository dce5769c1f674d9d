/**
 * SQS accepts only #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
 * #x10000-#x10FFFF in a message; the local emulator also refuses the last
 * range (emoji and other characters outside the BMP). Escaping everything
 * outside #x20-#xD7FF and #xE000-#xFFFD as JSON \u escapes makes every
 * message acceptable to both while JSON.parse gives back the same value.
 */
const OUTSIDE_SAFE_RANGE = /[^\x20-\uD7FF\uE000-\uFFFD]/g;

const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** JSON of `value` that any SQS queue (and the emulator) accepts as a message body. */
export function toQueueJson(value: unknown): string {
  // Outside strings JSON has only ASCII; inside, raw control characters never
  // occur (JSON.stringify escapes them), so every match is string content.
  return JSON.stringify(value).replace(OUTSIDE_SAFE_RANGE, escape);
}
