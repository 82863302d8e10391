import type { PrismaClient } from '../db/database.ts';

/** A name as one shell word: in double quotes when nothing in it is special there, otherwise in single quotes. */
export function shellWord(text: string): string {
  return /^[\w .,&()+@:/-]*$/.test(text) ? `"${text}"` : `'${text.replaceAll("'", `'\\''`)}'`;
}

export const createAdminCommand = (organization: string) =>
  `npm run --silent cli -- create-admin --org ${organization} --email you@example.com`;

/**
 * What a start that prints no admin token says instead: how to get one, naming the
 * organisation (the demo one, or the oldest of the database's), or how to create the first.
 * The embedded database is single-process, so there the CLI runs while the server is stopped.
 */
export async function tokenHint(
  prisma: PrismaClient,
  { embedded, demoOrganization }: { embedded: boolean; demoOrganization?: string },
): Promise<string[]> {
  const where = embedded
    ? 'stop the server (Ctrl-C), run this, and start it again:'
    : 'run this in another terminal, with the same DATABASE_URL:';
  if (demoOrganization) {
    return [
      `No admin token is printed: the demo organisation "${demoOrganization}" already existed (its token was printed when it was created).`,
      `For a new admin token, ${where}`,
      `  ${createAdminCommand(shellWord(demoOrganization))}`,
    ];
  }
  const [oldest] = await prisma.organization.findMany({
    select: { name: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 1,
  });
  if (!oldest) {
    return [
      'No organisation exists yet, so there is no admin token.',
      `To create the first organisation and an admin token for it, ${where}`,
      `  ${createAdminCommand('"<organisation name>"')}`,
    ];
  }
  const count = await prisma.organization.count();
  return [
    `No admin token is printed on this start. For a new admin token, ${where}`,
    `  ${createAdminCommand(shellWord(oldest.name))}`,
    ...(count > 1 ? [`  (${count} organisations exist: --org takes the name of yours)`] : []),
  ];
}
