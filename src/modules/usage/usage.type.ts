import DataLoader from 'dataloader';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import type { GraphQLContext } from '../../graphql/context.ts';
import { badUserInput } from '../../core/errors.ts';
import { ApiKeyRef } from '../api-keys/api-key.type.ts';
import { utcDay, type PendingUsage, type UsageCounter, type UsageCounts } from './usage-counter.ts';

declare module '../../graphql/context.ts' {
  interface GraphQLContext {
    /** This instance's usage counter (the HTTP edge's usage counting puts it there), for `ApiKey.usage`. */
    usage?: UsageCounter;
  }
}

const MAX_USAGE_DAYS = 366;
const DAY_MS = 86_400_000;

interface UsageDay extends UsageCounts {
  day: Date;
}

const ApiKeyUsageDayRef = builder.objectRef<UsageDay>('ApiKeyUsageDay').implement({
  description:
    "One UTC day of an API key's traffic (requests with the key or with access tokens issued for it). " +
    'Counts are kept in memory and stored every few seconds; a read includes what this server has not stored yet.',
  fields: (t) => ({
    day: t.expose('day', { type: 'Date', description: 'The UTC day.' }),
    requests: t.exposeInt('requests', { description: 'Every authenticated request, rate-limited ones included.' }),
    errors: t.exposeInt('errors', {
      description: 'Requests answered with HTTP status >= 400 or with GraphQL errors (not counting rate-limited ones).',
    }),
    rateLimited: t.exposeInt('rateLimited', { description: 'Requests refused by the rate limit (HTTP 429).' }),
  }),
});

/** Every UTC day from `since` to `until`, both included. */
function daysOf(since: Date, until: Date): Date[] {
  const days: Date[] = [];
  for (let t = since.getTime(); t <= until.getTime(); t += DAY_MS) days.push(new Date(t));
  return days;
}

/** Zero-filled days of the range for each key: stored rows plus this instance's unflushed counts. */
async function loadUsage(
  prisma: PrismaClient,
  apiKeyIds: readonly string[],
  since: Date,
  until: Date,
  pending: PendingUsage,
): Promise<UsageDay[][]> {
  const rows = await prisma.apiKeyUsage.findMany({
    where: { apiKeyId: { in: [...apiKeyIds] }, day: { gte: since, lte: until } },
    select: { apiKeyId: true, day: true, requests: true, errors: true, rateLimited: true },
  });
  const stored = new Map(rows.map((row) => [`${row.apiKeyId}|${utcDay(row.day)}`, row]));
  const days = daysOf(since, until);
  return apiKeyIds.map((apiKeyId) =>
    days.map((day) => {
      const name = utcDay(day);
      const a = stored.get(`${apiKeyId}|${name}`);
      const b = pending(apiKeyId, name);
      return {
        day,
        requests: (a?.requests ?? 0) + (b?.requests ?? 0),
        errors: (a?.errors ?? 0) + (b?.errors ?? 0),
        rateLimited: (a?.rateLimited ?? 0) + (b?.rateLimited ?? 0),
      };
    }),
  );
}

/** Per request and range, one loader: listing many keys with their usage costs one statement. */
const loaders = new WeakMap<GraphQLContext, Map<string, DataLoader<string, UsageDay[]>>>();

function usageLoader(ctx: GraphQLContext, since: Date, until: Date) {
  let byRange = loaders.get(ctx);
  if (!byRange) loaders.set(ctx, (byRange = new Map()));
  const range = `${utcDay(since)}|${utcDay(until)}`;
  let loader = byRange.get(range);
  if (!loader) {
    const none: PendingUsage = () => undefined;
    loader = new DataLoader<string, UsageDay[]>((ids) =>
      ctx.usage
        ? ctx.usage.read((pending) => loadUsage(ctx.prisma, ids, since, until, pending))
        : loadUsage(ctx.prisma, ids, since, until, none),
    );
    byRange.set(range, loader);
  }
  return loader;
}

builder.prismaObjectField(ApiKeyRef, 'usage', (t) =>
  t.field({
    type: [ApiKeyUsageDayRef],
    extensions: { listSize: MAX_USAGE_DAYS },
    description:
      'Daily traffic of the key from `since` to `until` (UTC days, both included, at most 366), ' +
      'one entry per day in order, days without traffic as zeros.',
    args: {
      since: t.arg({ type: 'Date', required: true }),
      until: t.arg({ type: 'Date', required: true }),
    },
    resolve: (key, { since, until }, ctx) => {
      if (until < since) throw badUserInput('`until` must not be before `since`.');
      const days = Math.round((until.getTime() - since.getTime()) / DAY_MS) + 1;
      if (days > MAX_USAGE_DAYS) {
        throw badUserInput(`A usage range spans at most ${MAX_USAGE_DAYS} days, got ${days}.`);
      }
      return usageLoader(ctx, since, until).load(key.id);
    },
  }),
);
