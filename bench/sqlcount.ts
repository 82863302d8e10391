// A counting TCP proxy for the PostgreSQL wire protocol: a target started with its
// DATABASE_URL pointing here has every statement it runs counted (simple-protocol Query
// messages and extended-protocol Execute messages), whatever its driver. Used instead of
// pg_stat_statements, which needs shared_preload_libraries (a server restart).
import net from 'node:net';

export interface StatementCounts {
  /** Every statement executed, transaction control included. */
  total: number;
  /** BEGIN / COMMIT / ROLLBACK / SAVEPOINT / SET / RESET / DEALLOCATE / DISCARD. */
  control: number;
  /** Statement text → executions, for inspection. */
  byText: Map<string, number>;
  /** Statements on a background clock (graphile_worker's polling, the credential cache's lease), not counted above. */
  background: number;
}

/**
 * On their own clock, not per request: Crewgraph's webhook worker polling its job tables, and
 * its credential cache renewing its lease (src/db/credential-cache.ts) and listening.
 */
const BACKGROUND = /"?graphile_worker"?\.|"CredentialCacheLease"|^LISTEN /;

const CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET|RESET|DEALLOCATE|DISCARD)\b/i;

export interface CountingProxy {
  port: number;
  counts: StatementCounts;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: { host: string; port: number }): Promise<CountingProxy> {
  const counts: StatementCounts = { total: 0, control: 0, byText: new Map(), background: 0 };
  const record = (sql: string | undefined) => {
    const text = (sql ?? '?').trim();
    if (BACKGROUND.test(text)) {
      counts.background++;
      return;
    }
    counts.total++;
    if (CONTROL.test(text)) counts.control++;
    counts.byText.set(text, (counts.byText.get(text) ?? 0) + 1);
  };
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const backend = net.connect(upstream.port, upstream.host);
    sockets.add(client).add(backend);
    const statements = new Map<string, string>(); // prepared statement name → SQL
    const portals = new Map<string, string>(); // portal name → SQL
    let buffer: Buffer = Buffer.alloc(0);
    let startup = true; // untyped messages (SSLRequest, StartupMessage) come first
    let parsing = true;
    let awaitingSslAnswer = false;

    const cstrings = (body: Buffer, count: number): string[] => {
      const out: string[] = [];
      let at = 0;
      for (let i = 0; i < count; i++) {
        const end = body.indexOf(0, at);
        out.push(body.toString('utf8', at, end));
        at = end + 1;
      }
      return out;
    };

    client.on('data', (chunk: Buffer) => {
      backend.write(chunk);
      if (!parsing) return;
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      for (;;) {
        if (startup) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === 80877103 || code === 80877104) {
            awaitingSslAnswer = true; // SSL / GSS request: the startup message follows
            continue;
          }
          startup = false;
          continue;
        }
        if (buffer.length < 5) break;
        const type = String.fromCharCode(buffer[0]);
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) break;
        const body = buffer.subarray(5, 1 + length);
        buffer = buffer.subarray(1 + length);
        if (type === 'Q') record(cstrings(body, 1)[0]);
        else if (type === 'P') {
          const [name, sql] = cstrings(body, 2);
          statements.set(name, sql);
        } else if (type === 'B') {
          const [portal, statement] = cstrings(body, 2);
          portals.set(portal, statements.get(statement) ?? '?');
        } else if (type === 'E') record(portals.get(cstrings(body, 1)[0]));
      }
    });
    backend.on('data', (chunk: Buffer) => {
      // The server answered an SSL/GSS request with 'S'/'G': encryption follows and cannot be read.
      if (awaitingSslAnswer) {
        awaitingSslAnswer = false;
        if (chunk[0] !== 0x4e) parsing = false;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      backend.destroy();
      sockets.delete(client);
      sockets.delete(backend);
    };
    client.on('error', end).on('close', end);
    backend.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    counts,
    reset() {
      counts.total = 0;
      counts.control = 0;
      counts.background = 0;
      counts.byText.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
