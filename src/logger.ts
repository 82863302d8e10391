import pino from 'pino';

export type Logger = pino.Logger;

/** Longest client-supplied string a log line carries (an operation name, a path of aliases). */
export const MAX_LOGGED_CHARS = 200;

/** Longest string of an error in the log (its message and stack may quote client input). */
const MAX_LOGGED_ERROR_CHARS = 4_000;

/** A string cut to `max` characters, saying how much was cut: a client cannot make log lines large. */
export function clip(value: string, max = MAX_LOGGED_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max)}…[${value.length - max} more characters cut]`;
}

/** The strings of a logged value cut to `max`, a few levels deep (plain objects and arrays only). */
function clipStrings(value: unknown, max: number, depth = 4): unknown {
  if (typeof value === 'string') return clip(value, max);
  if (depth === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => clipStrings(item, max, depth - 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clipStrings(item, max, depth - 1)]));
}

/** pino's error serializer, its strings cut (its result is not a plain object, so it is walked here). */
function clippedError(error: Error): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(serialized).map(([key, value]) => [key, clipStrings(value, MAX_LOGGED_ERROR_CHARS)]),
  );
}

/** JSON lines in production; readable lines when a developer runs it in a terminal. */
export function createLogger(level = 'info'): Logger {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  return pino({
    level,
    base: undefined,
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
    serializers: { err: clippedError },
    // Whatever else a line carries stays bounded too, whoever wrote it.
    formatters: { log: (object) => clipStrings(object, MAX_LOGGED_ERROR_CHARS) as Record<string, unknown> },
    ...(pretty && {
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    }),
  });
}
