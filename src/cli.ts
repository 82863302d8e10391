import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { DataDirBusyError } from './db/data-dir-lock.ts';
import { DatabaseConnectError } from './db/unavailable.ts';
import { AdminRole } from './generated/prisma/enums.ts';
import { AdminSetupError, OrganizationNotFoundError, createAdmin } from './modules/admins/admin.service.ts';
import { AdminTokenPolicyError, MAX_ADMIN_TOKEN_NAME_LENGTH } from './modules/admins/admin-token.service.ts';
import { seedDemoOrganization } from './demo/seed.ts';
import { REGISTER_DOCUMENTS_USAGE, registerDocumentsCommand } from './modules/persisted-documents/cli.ts';
import { configuredDataDirFailure } from './start/data-dir.ts';

const USAGE = `Usage: npm run --silent cli -- <command> [options]

Commands:
  create-admin (--org "<name>" | --org-id <id>) --email <email> [--name "<name>"]
               [--role OWNER|ADMIN|PROJECT_ADMIN] [--projects <id-or-code,...>]
               [--expires-in <duration>] [--token-name "<name>"] [--json]
      Creates the organisation if needed and the admin if needed (a new admin is an OWNER
      unless --role says otherwise; a PROJECT_ADMIN needs --projects), and prints a new
      admin token. An existing admin keeps their role and projects.
      --expires-in makes the token expire after a number of days, hours or minutes (30d,
      12h, 90m); without it the token does not expire, unless the organisation caps
      admin-token lifetime (then --expires-in is required and at most that long).
      --token-name names the token (at most ${MAX_ADMIN_TOKEN_NAME_LENGTH} characters), as shown by adminTokens.
      --org matches an existing organisation's name ignoring case and surrounding spaces;
      --org-id is its id (organizationId in --json output), for an existing organisation.
  migrate     Applies pending database migrations.
  seed        Creates the demo organisation if it does not exist yet.
${REGISTER_DOCUMENTS_USAGE}

The database is the embedded one in ./.data unless DATABASE_URL is set.`;

class UsageError extends Error {}

const DURATION_UNITS_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
/** Longest accepted --expires-in: 100 years. */
const MAX_DURATION_MS = 36_500 * DURATION_UNITS_MS.d;

/** `30d`, `12h`, `90m` in milliseconds; anything else is a usage error. */
function parseDuration(text: string): number {
  const match = /^([1-9][0-9]{0,6})([dhm])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS] : NaN;
  if (!(ms <= MAX_DURATION_MS)) {
    throw new UsageError(
      `--expires-in must be a whole number of days, hours or minutes up to 100 years (e.g. 30d, 12h, 90m), got "${text}"`,
    );
  }
  return ms;
}

type Db = Awaited<ReturnType<typeof openDatabase>>;

/** Opens the configured database, brings it up to date, runs fn, and closes it. */
async function withDatabase<T>(fn: (db: Db, applied: string[]) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    poolSize: 2,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    statementTimeoutMs: config.dbStatementTimeoutMs,
  });
  try {
    return await fn(db, await db.migrate());
  } finally {
    await db.close();
  }
}

async function run(argv: string[]) {
  const [command, ...rest] = argv;
  if (command === 'register-documents') return registerDocumentsCommand(rest, withDatabase);
  const { values } = parseArgs({
    args: rest,
    options: {
      org: { type: 'string' },
      'org-id': { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      projects: { type: 'string' },
      'expires-in': { type: 'string' },
      'token-name': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });

  switch (command) {
    case 'create-admin': {
      const orgId = values['org-id']?.trim();
      if (values.org !== undefined && orgId !== undefined) throw new UsageError('give --org or --org-id, not both');
      if (!values.org?.trim() && !orgId) {
        throw new UsageError('create-admin needs --org "<organisation name>" or --org-id <id>');
      }
      if (!values.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) {
        throw new UsageError('create-admin needs --email with a valid email address');
      }
      const role = values.role?.trim().toUpperCase();
      if (role !== undefined && !Object.hasOwn(AdminRole, role)) {
        throw new UsageError(`--role must be one of ${Object.keys(AdminRole).join(', ')}, got "${values.role}"`);
      }
      const projects = values.projects?.split(',').map((ref) => ref.trim());
      if (projects && (!projects.length || projects.some((ref) => !ref))) {
        throw new UsageError('--projects needs a comma-separated list of project ids or codes, none blank');
      }
      if (role === 'PROJECT_ADMIN' && !projects) {
        throw new UsageError('--role PROJECT_ADMIN needs --projects <id-or-code,...>');
      }
      if (projects && role !== 'PROJECT_ADMIN') throw new UsageError('--projects is only for --role PROJECT_ADMIN');
      const expiresInMs = values['expires-in'] === undefined ? undefined : parseDuration(values['expires-in']);
      const tokenName = values['token-name']?.trim();
      if (tokenName !== undefined && (!tokenName || tokenName.length > MAX_ADMIN_TOKEN_NAME_LENGTH)) {
        throw new UsageError(`--token-name needs 1 to ${MAX_ADMIN_TOKEN_NAME_LENGTH} characters`);
      }
      const created = await withDatabase((db) =>
        createAdmin(
          db.prisma,
          {
            ...(orgId ? { organizationId: orgId } : { organizationName: values.org!.trim() }),
            email: values.email!,
            name: values.name,
            role: role as AdminRole | undefined,
            projects,
          },
          { name: tokenName, expiresInMs },
        ),
      );
      const { organizationId, userId, token } = created; // the contract's document, in this order
      if (values.json) process.stdout.write(`${JSON.stringify({ organizationId, userId, token })}\n`);
      else
        console.log(
          `Admin ${values.email} of "${created.organizationName}" created.\nToken (shown once): ${created.token}`,
        );
      return;
    }
    case 'migrate': {
      const applied = await withDatabase(async (_db, applied) => applied);
      console.error(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
      return;
    }
    case 'seed': {
      const seeded = await withDatabase((db) => seedDemoOrganization(db.prisma));
      console.log(
        seeded
          ? `Demo organisation created. Admin token (shown once): ${seeded.adminToken}`
          : 'Demo organisation already exists.',
      );
      return;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"\n\n${USAGE}` : USAGE);
  }
}

run(process.argv.slice(2)).catch((error) => {
  const known =
    error instanceof UsageError ||
    error instanceof AdminSetupError ||
    error instanceof ConfigError ||
    error instanceof DataDirBusyError;
  const argError = (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
  const readable =
    known ||
    argError ||
    error instanceof DatabaseConnectError ||
    error instanceof OrganizationNotFoundError ||
    error instanceof AdminTokenPolicyError;
  const dataDir = configuredDataDirFailure(error);
  console.error(`crewgraph: ${dataDir ?? (readable ? error.message : (error?.stack ?? error))}`);
  process.exit(known || argError ? 2 : 1);
});
