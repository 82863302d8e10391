import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines in production; readable lines when a developer runs it in a terminal. */
export function createLogger(level = 'info'): Logger {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  return pino({
    level,
    base: undefined,
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
    ...(pretty && {
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    }),
  });
}
