import type { PrismaClient } from '../../src/generated/prisma/client.ts';

/** A key's usage rows as stored, day by day. */
export const storedUsage = (prisma: PrismaClient, apiKeyId: string) =>
  prisma.apiKeyUsage.findMany({
    where: { apiKeyId },
    orderBy: { day: 'asc' },
    select: { day: true, requests: true, errors: true, rateLimited: true },
  });
