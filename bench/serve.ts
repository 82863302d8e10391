// How the benchmark's own servers (floor.ts, postgraphile.ts, stack.ts) listen and stop.
import type { Server } from 'node:http';

/**
 * Listens on 127.0.0.1:PORT (or `defaultPort`) with keep-alive as wrk uses it, and on SIGTERM or
 * SIGINT stops accepting, runs `cleanup` (closing the database pool) and exits.
 */
export function serve(server: Server, name: string, defaultPort: number, cleanup: () => Promise<unknown>) {
  const port = Number(process.env.PORT ?? defaultPort);
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => console.log(`${name} listening on ${port}`));
  const stop = () => server.close(() => cleanup().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
