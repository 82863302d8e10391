import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildSchema } from 'graphql';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { UserErrors } from '../../core/user-errors.ts';
import { documentCheck } from './document-check.ts';
import {
  MAX_DOCUMENTS_PER_CALL,
  registerPersistedDocuments,
  type DocumentInput,
} from './persisted-document.service.ts';

export const REGISTER_DOCUMENTS_USAGE = `  register-documents (--org "<name>" | --org-id <id>) --manifest <path> [--json]
      Registers the trusted documents of a persisted-documents manifest (the JSON object
      { "sha256:<hex>": "<document>" } graphql-codegen's client preset writes) for an existing
      organisation, checked against schema.graphql. Documents already registered are left as
      they are, so running it again is safe. Prints how many were new (--json: as JSON).`;

/** A mistake in the command or the manifest: printed as one line, exit code 2. */
class ManifestError extends Error {}

type WithDatabase = <T>(fn: (db: { prisma: PrismaClient }) => Promise<T>) => Promise<T>;

const SCHEMA_FILE = new URL('../../../schema.graphql', import.meta.url);

async function readManifest(path: string): Promise<DocumentInput[]> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ManifestError(`cannot read the manifest ${path}: ${(error as Error).message}`);
  }
  const entries =
    manifest && typeof manifest === 'object' && !Array.isArray(manifest) ? Object.entries(manifest) : null;
  if (!entries?.length || entries.some(([, body]) => typeof body !== 'string')) {
    throw new ManifestError(`${path} is not a persisted-documents manifest: a JSON object of id → document text`);
  }
  return entries.map(([id, body]) => ({ id, body: body as string }));
}

async function organizationIdOf(prisma: PrismaClient, ref: { name?: string; id?: string }): Promise<string> {
  const matches = ref.id
    ? await prisma.$queryRaw<{ id: string }[]>`SELECT id FROM "Organization" WHERE id::text = lower(${ref.id})`
    : await prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Organization" WHERE lower(btrim(name)) = lower(btrim(${ref.name}))`;
  if (matches.length !== 1) {
    throw new ManifestError(
      matches.length
        ? `organisation name "${ref.name}" matches ${matches.length} organisations; use --org-id <id>`
        : `no organisation ${ref.id ? `with id "${ref.id}"` : `named "${ref.name}"`}`,
    );
  }
  return matches[0].id;
}

/** Each userError as one line naming the manifest entry at fault. */
function describe(error: UserErrors, batch: DocumentInput[]): string {
  return error.errors
    .map(({ field, message }) => {
      const index = field?.[2] === undefined ? NaN : Number(field[2]);
      return Number.isInteger(index) ? `${batch[index].id}: ${message}` : message;
    })
    .join('\n');
}

/** `register-documents`: the manifest in batches of MAX_DOCUMENTS_PER_CALL, each all or nothing. */
export async function registerDocumentsCommand(args: string[], withDatabase: WithDatabase): Promise<void> {
  try {
    const { values } = parseArgs({
      args,
      options: {
        org: { type: 'string' },
        'org-id': { type: 'string' },
        manifest: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const name = values.org?.trim();
    const id = values['org-id']?.trim();
    if (!name === !id) throw new ManifestError('register-documents needs --org "<organisation name>" or --org-id <id>');
    if (!values.manifest) throw new ManifestError('register-documents needs --manifest <path>');
    const documents = await readManifest(values.manifest);
    const check = documentCheck(buildSchema(await readFile(SCHEMA_FILE, 'utf8')));
    const registered = await withDatabase(async ({ prisma }) => {
      const organizationId = await organizationIdOf(prisma, { name, id });
      let count = 0;
      for (let start = 0; start < documents.length; start += MAX_DOCUMENTS_PER_CALL) {
        const batch = documents.slice(start, start + MAX_DOCUMENTS_PER_CALL);
        const registrar = { prisma, organizationId, userId: null, requestId: null, now: new Date() };
        try {
          count += (await registerPersistedDocuments(registrar, batch, check)).registered;
        } catch (error) {
          if (!(error instanceof UserErrors)) throw error;
          const earlier = start ? `(the first ${start} documents were registered; nothing after)\n` : '';
          throw new ManifestError(`${earlier}${describe(error, batch)}`);
        }
      }
      return count;
    });
    if (values.json) process.stdout.write(`${JSON.stringify({ registered, documents: documents.length })}\n`);
    else console.log(`${registered} new of ${documents.length} documents registered.`);
  } catch (error) {
    const argError = (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    if (!(error instanceof ManifestError) && !argError) throw error;
    console.error(`crewgraph: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
