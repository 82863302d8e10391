import type { PrismaClient, Prisma } from '../../generated/prisma/client.ts';
import { notFound } from '../../core/errors.ts';
import type { Principal } from '../../core/principal.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck } from '../../core/user-errors.ts';
import { writeAuditEvent, type AuditActor } from '../audit/audit.record.ts';
import { documentHash, sha256Hex } from './document-id.ts';

export const MAX_DOCUMENTS_PER_CALL = 500;
/** Longest document text accepted (characters); generated operations are far shorter. */
export const MAX_DOCUMENT_LENGTH = 100_000;

export interface DocumentInput {
  /** `sha256:<hex>` or the bare hex SHA-256 of `body`. */
  id: string;
  body: string;
}

/**
 * Parses a document and validates it against the schema. Services know no GraphQL, so the
 * caller passes it in: the mutation checks against the schema it serves, the command line
 * against the printed schema.graphql.
 */
export type DocumentCheck = (body: string) => { operationName: string | null } | { error: string };

/** Who registers: an admin's request, or the command line (no user). */
export interface Registrar {
  prisma: PrismaClient;
  organizationId: string;
  userId: string | null;
  requestId: string | null;
  now: Date;
}

export const registrarOf = (ctx: RequestScope): Registrar => ({
  prisma: ctx.prisma,
  organizationId: ctx.principal.organizationId,
  userId: ctx.principal.kind === 'ADMIN' ? ctx.principal.userId : null,
  requestId: ctx.requestId,
  now: ctx.now(),
});

/** The documents a principal may list: an admin's organisation's; none for a key. */
export function visiblePersistedDocuments(principal: Principal): Prisma.PersistedDocumentWhereInput {
  return principal.kind === 'ADMIN' ? { organizationId: principal.organizationId } : { id: { in: [] } };
}

interface Checked {
  hash: string;
  body: string;
  operationName: string | null;
}

/** Every document checked: a well-formed id that is the SHA-256 of its body, a body that validates. */
function checkDocuments(documents: DocumentInput[], check: DocumentCheck): Checked[] {
  const problems = new InputCheck();
  if (documents.length < 1 || documents.length > MAX_DOCUMENTS_PER_CALL) {
    problems.add(
      ['input', 'documents'],
      'OUT_OF_RANGE',
      `Send 1 to ${MAX_DOCUMENTS_PER_CALL} documents per call (got ${documents.length}).`,
    );
    problems.throwIfAny();
  }
  const checked = new Map<string, Checked>();
  documents.forEach(({ id, body }, i) => {
    const at = ['input', 'documents', String(i)];
    const hash = documentHash(id);
    if (!hash) {
      problems.add(
        [...at, 'id'],
        'INVALID',
        'id must be "sha256:" followed by 64 hex digits (or the 64 digits alone).',
      );
      return;
    }
    if (body.length > MAX_DOCUMENT_LENGTH) {
      problems.add([...at, 'body'], 'TOO_LONG', `body is too long (at most ${MAX_DOCUMENT_LENGTH} characters).`);
      return;
    }
    if (sha256Hex(body) !== hash) {
      problems.add(
        [...at, 'id'],
        'INVALID',
        'id is not the SHA-256 of body: hash the exact text, as the persisted-documents manifest does.',
      );
      return;
    }
    const verdict = check(body);
    if ('error' in verdict) problems.add([...at, 'body'], 'INVALID', verdict.error);
    else checked.set(hash, { hash, body, operationName: verdict.operationName });
  });
  problems.throwIfAny();
  return [...checked.values()];
}

/**
 * Registers documents for the registrar's organisation, all or none: one bad document (id
 * not its hash, text that does not validate) is a userError and nothing is stored. A
 * document already registered is left as it is (same id, same text), so sending a whole
 * manifest again is safe. Each newly stored document is an audit event.
 */
export async function registerPersistedDocuments(
  registrar: Registrar,
  documents: DocumentInput[],
  check: DocumentCheck,
) {
  const checked = checkDocuments(documents, check);
  const { prisma, organizationId, userId, requestId, now } = registrar;
  const actor: AuditActor = { organizationId, actorUserId: userId, requestId, at: now };
  return prisma.$transaction(async (tx) => {
    const created = await tx.persistedDocument.createManyAndReturn({
      data: checked.map(({ hash, body, operationName }) => ({
        organizationId,
        documentId: hash,
        body,
        operationName,
        createdById: userId,
        createdAt: now,
      })),
      skipDuplicates: true,
      select: { id: true, documentId: true, operationName: true },
    });
    for (const document of created) {
      await writeAuditEvent(tx, actor, {
        action: 'persisted_document.registered',
        targetType: 'PersistedDocument',
        targetId: document.id,
        changes: { documentId: document.documentId, operationName: document.operationName },
      });
    }
    const persistedDocuments = await tx.persistedDocument.findMany({
      where: { organizationId, documentId: { in: checked.map((document) => document.hash) } },
    });
    const byHash = new Map(persistedDocuments.map((document) => [document.documentId, document]));
    return { registered: created.length, persistedDocuments: checked.map(({ hash }) => byHash.get(hash)!) };
  });
}

/** Deletes one of the organisation's documents: keys sending its id get PERSISTED_DOCUMENT_NOT_FOUND from then on. */
export async function deletePersistedDocument(ctx: RequestScope, id: string) {
  const registrar = registrarOf(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const where = { id, organizationId: registrar.organizationId };
    const document = await tx.persistedDocument.findFirst({ where });
    // Counted, so a concurrent delete of the same document answers NOT_FOUND too.
    if (!document || !(await tx.persistedDocument.deleteMany({ where })).count) throw notFound('Persisted document');
    const { organizationId, userId, requestId, now } = registrar;
    await writeAuditEvent(
      tx,
      { organizationId, actorUserId: userId, requestId, at: now },
      {
        action: 'persisted_document.deleted',
        targetType: 'PersistedDocument',
        targetId: document.id,
        changes: { documentId: document.documentId, operationName: document.operationName },
      },
    );
    return { deletedPersistedDocumentId: document.id };
  });
}

/** The text of a registered document, by its hash, in one organisation (one lookup on its unique index). */
export async function findPersistedDocument(prisma: PrismaClient, organizationId: string, hash: string) {
  return prisma.persistedDocument.findUnique({
    where: { organizationId_documentId: { organizationId, documentId: hash } },
    select: { body: true, operationName: true },
  });
}
