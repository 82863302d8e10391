import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './error-contract.ts';

const BODY_TYPES = [
  'application/json',
  'application/graphql-response+json',
  'application/graphql+json',
  'application/x-www-form-urlencoded',
];

const coded = (request: Request, status: number, message: string) =>
  errorResponse(request, status, 'BAD_USER_INPUT', message);

/**
 * Answers unsupported request and response media types with a coded JSON error (415 /
 * 406) instead of Yoga's empty body, so every error a client sees has a code.
 */
export function useMediaTypeErrors(graphqlEndpoint: string): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== graphqlEndpoint) return;
      if (request.method === 'POST') {
        // Strict on purpose: a media type and at most `charset=utf-8`, as Yoga accepts them.
        const [type, ...params] = (request.headers.get('content-type') ?? '').split(';').map((p) => p.trim());
        const utf8Only = params.every((p) => /^charset=utf-?8$/i.test(p));
        if (!BODY_TYPES.includes(type) || !utf8Only) {
          endResponse(coded(request, 415, `Send the body as application/json (got "${type || 'no content type'}").`));
          return;
        }
      }
      const accept = request.headers.get('accept')?.toLowerCase();
      const answerable =
        request.method === 'GET'
          ? /json|\*\/\*|application\/\*|text\/html|text\/event-stream/
          : /json|\*\/\*|application\/\*|text\/event-stream/;
      if (accept && !answerable.test(accept)) {
        endResponse(
          coded(request, 406, 'This endpoint answers application/json or application/graphql-response+json.'),
        );
      }
    },
  };
}
