import type { Plugin } from 'graphql-yoga';
import { errorResponse } from '../error-contract.ts';

/**
 * Refuses request bodies over `maxBytes` with 413 before they are parsed. A declared
 * Content-Length is checked at once; a chunked body is counted as it is read.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  const tooLarge = (request: Request) =>
    errorResponse(request, 413, 'BAD_USER_INPUT', `The request body is larger than ${maxBytes} bytes.`);
  return {
    async onRequest({ request, endResponse }) {
      if (request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!/^\d+$/.test(declared) || Number(declared) > maxBytes) endResponse(tooLarge(request));
        return;
      }
      // No length declared: measure a clone, so the original stream stays intact for parsing.
      const reader = request.clone().body?.getReader();
      let size = 0;
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel();
          endResponse(tooLarge(request));
          return;
        }
      }
    },
  };
}
