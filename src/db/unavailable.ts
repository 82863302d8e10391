/**
 * Whether a failed statement means the database did not answer (in time): no connection
 * within DB_CONNECT_TIMEOUT_MS, a statement past DB_STATEMENT_TIMEOUT_MS, a server gone
 * silent or away mid-statement. The HTTP edge answers these with SERVICE_UNAVAILABLE.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const cause of causes(error)) {
    const { code, kind, message } = cause as { code?: unknown; kind?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((text) => message.includes(text))) return true;
  }
  return false;
}

const UNAVAILABLE_CODES = new Set([
  // SQLSTATE: statement_timeout, the server shutting down or starting, too many connections
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // sockets
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  // Prisma: a transaction that could not start in time or outlived its timeout; server unreachable or gone
  'P2028',
  'P1001',
  'P1002',
  'P1008',
  'P1017',
]);

/** Prisma's driver adapter errors for sockets. */
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);

/** pg and pg-pool's own errors, which carry no code. */
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Connection terminated unexpectedly',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/** The error and what it wraps: `cause`, Prisma's driver adapter error, GraphQL's original error. */
function* causes(error: unknown, depth = 0): Generator<object> {
  if (typeof error !== 'object' || error === null || depth > 5) return;
  yield error;
  const wrapper = error as {
    cause?: unknown;
    originalError?: unknown;
    meta?: { driverAdapterError?: { cause?: unknown } };
  };
  yield* causes(wrapper.cause, depth + 1);
  yield* causes(wrapper.originalError, depth + 1);
  yield* causes(wrapper.meta?.driverAdapterError?.cause, depth + 1);
}

/** The database could not be reached or refused the connection; the message is one line for the operator. */
export class DatabaseConnectError extends Error {
  constructor(connectionString: string, cause: unknown) {
    super(describeConnectError(connectionString, cause), { cause });
    this.name = 'DatabaseConnectError';
  }
}

/** Where, without the credentials: `host:port/database`. */
function whereTo(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'the configured database';
  }
}

function describeConnectError(connectionString: string, cause: unknown): string {
  const where = `PostgreSQL at ${whereTo(connectionString)} (DATABASE_URL)`;
  const { code, message } = (cause ?? {}) as { code?: string; message?: string };
  switch (code) {
    case '3D000':
      return `${where}: the database does not exist; create it first (CREATE DATABASE) or fix DATABASE_URL`;
    case '28P01':
    case '28000':
      return `${where}: authentication failed (${message}); check the user and password in DATABASE_URL`;
    case 'ECONNREFUSED':
      return `${where}: connection refused; is PostgreSQL running and listening there?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where}: unknown host`;
  }
  if (isDatabaseUnavailable(cause)) return `${where}: no answer in time (DB_CONNECT_TIMEOUT_MS)`;
  return `${where}: cannot connect: ${String(message ?? cause).split('\n')[0]}`;
}
