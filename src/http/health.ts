import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/database.ts';

/** /ready answers 503 when the database has not answered by then (a stalled database, a full pool). */
const READY_TIMEOUT_MS = 1500;

/**
 * /ready: the database is reachable and migrated (200 `{"status":"ready"}`, else 503). /health
 * (the process is up) is Yoga's own health check, an empty 200 that answers before any plugin.
 */
export function useReadinessEndpoint(db: Database): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      let timer: NodeJS.Timeout | undefined;
      const ready = await Promise.race([
        db.isReady(),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS))),
      ]).finally(() => clearTimeout(timer));
      endResponse(fetchAPI.Response.json({ status: ready ? 'ready' : 'unavailable' }, { status: ready ? 200 : 503 }));
    },
  };
}
