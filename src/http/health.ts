import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/database.ts';

/**
 * /ready: the database is reachable and migrated (200 `{"status":"ready"}`, else 503). /health
 * (the process is up) is Yoga's own health check, an empty 200 that answers before any plugin.
 */
export function useReadinessEndpoint(db: Database): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const ready = await db.isReady();
      endResponse(fetchAPI.Response.json({ status: ready ? 'ready' : 'unavailable' }, { status: ready ? 200 : 503 }));
    },
  };
}
