import type { GraphiQLOptions } from 'graphql-yoga';

const DEFAULT_QUERY = `# Welcome to Crewgraph.
# 1. Open "Headers" below and put your token there:
#      { "Authorization": "Bearer cga_..." }
#    The Docs panel and autocomplete load as soon as the server accepts it.
# 2. Run this query with the play button (or Ctrl-Enter).
# To keep the token in this browser across reloads, turn on
# "Persist headers" in the settings (the gear, bottom left).
query Overview {
  viewer {
    kind
    organization { name }
  }
  projects(first: 5) {
    totalCount
    edges {
      node {
        name
        code
        contractors(first: 3) {
          totalCount
          edges { node { name approvalStatus } }
        }
      }
    }
  }
}
`;

export const graphiqlOptions: GraphiQLOptions = {
  title: 'Crewgraph GraphiQL',
  defaultQuery: DEFAULT_QUERY,
  // Header values must be ISO-8859-1: no ellipsis or other Unicode here.
  headers: JSON.stringify({ Authorization: 'Bearer <paste your cga_ or cgk_ token here>' }, null, 2),
};

/**
 * Runs in the browser in place of Yoga's `renderYogaGraphiQL(root, options)` call, adding three GraphiQL props:
 * - `fetcher`: a plain POST (the API has no subscriptions or incremental delivery). Introspection, like every
 *   operation, needs a credential; while the server refuses the headers' one (401: missing, placeholder,
 *   unknown, revoked) the introspection waits instead of putting the refusal in the result pane.
 * - `onEditHeaders`: a pause after the headers change, waiting introspections retry with the new ones, so
 *   the Docs panel and autocomplete appear without a reload.
 * - `shouldPersistHeaders: undefined`: Yoga keeps headers in localStorage by default; a token stays in the
 *   browser only when the user turns "Persist headers" on in the settings dialog.
 */
const BROWSER_SCRIPT = /* js */ `function crewgraphGraphiQL(root, options) {
  const endpoint = new URL(options.endpoint || location.pathname, location.href).toString();
  const introspectionName = options.introspectionQueryName || 'IntrospectionQuery';
  let waiting = [];
  let editedHeaders;
  let pause;

  async function post(params, headers) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        accept: 'application/graphql-response+json, application/json',
        'content-type': 'application/json',
        ...headers,
      },
      body: JSON.stringify(params),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: text };
    }
  }

  function introspect(params, headers) {
    return new Promise((resolve, reject) => {
      const attempt = (withHeaders) =>
        post(params, withHeaders).then(({ status, body }) => {
          if (status === 401) waiting.push(attempt);
          else resolve(body);
        }, reject);
      attempt(headers);
    });
  }

  function onEditHeaders(text) {
    clearTimeout(pause);
    pause = setTimeout(() => {
      let headers;
      try {
        headers = JSON.parse(text);
      } catch {
        return;
      }
      if (!headers || typeof headers !== 'object') return;
      editedHeaders = headers;
      const retries = waiting;
      waiting = [];
      for (const attempt of retries) attempt(headers);
    }, 300);
  }

  async function fetcher(params, fetcherOptions) {
    const headers = (fetcherOptions && fetcherOptions.headers) || {};
    if (params.operationName === introspectionName) return introspect(params, editedHeaders || headers);
    return (await post(params, headers)).body;
  }

  YogaGraphiQL.renderYogaGraphiQL(root, { ...options, fetcher, onEditHeaders, shouldPersistHeaders: undefined });
}`;

const YOGA_CALL = 'YogaGraphiQL.renderYogaGraphiQL(';

/** Yoga's GraphiQL page (all assets inline, no CDN) with Crewgraph's browser script; loaded on the first page view. */
export async function renderGraphiQL(options: GraphiQLOptions): Promise<string> {
  const html = (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options);
  // A Yoga upgrade that renames the call must fail loudly (the browser test), not serve the old behaviour.
  if (html.indexOf(YOGA_CALL) !== html.lastIndexOf(YOGA_CALL) || !html.includes(YOGA_CALL)) {
    throw new Error(`Yoga's GraphiQL page no longer has exactly one ${YOGA_CALL}…) call`);
  }
  return html.replace(YOGA_CALL, () => `(${BROWSER_SCRIPT})(`);
}
