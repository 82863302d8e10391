import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/database.ts';

/** /health (the process is up) and /ready (database reachable, migrations applied). */
export function useHealthEndpoints(db: Database): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/health') {
        endResponse(fetchAPI.Response.json({ status: 'ok' }));
      } else if (url.pathname === '/ready') {
        const ready = await db.isReady();
        endResponse(fetchAPI.Response.json({ status: ready ? 'ready' : 'unavailable' }, { status: ready ? 200 : 503 }));
      }
    },
  };
}
