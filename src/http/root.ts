import type { Plugin } from 'graphql-yoga';

/**
 * `GET /` says where the API is: a browser (Accept: text/html) is redirected (302) to GraphiQL at
 * /graphql when GraphiQL is on; anyone else gets a small JSON document naming the endpoint.
 */
export function useApiRoot({ graphqlEndpoint, graphiql }: { graphqlEndpoint: string; graphiql: boolean }): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const headers = { Vary: 'Accept' };
      if (graphiql && request.headers.get('accept')?.includes('text/html')) {
        return endResponse(
          new fetchAPI.Response(null, { status: 302, headers: { ...headers, Location: graphqlEndpoint } }),
        );
      }
      endResponse(
        fetchAPI.Response.json(
          {
            message: `Crewgraph's GraphQL API is at ${graphqlEndpoint}: POST a query there with Authorization: Bearer <token>.`,
            graphqlEndpoint,
          },
          { headers },
        ),
      );
    },
  };
}
