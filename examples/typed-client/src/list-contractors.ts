/**
 * Lists the contractors an API key sees, page by page, and (when CREWGRAPH_TAG is set and the
 * key allows writes) adds that tag to the first one. Exit codes: 0 done, 1 Crewgraph refused
 * or failed (printed), 2 the token is missing or refused.
 */
import {
  AuthenticationError,
  CrewgraphError,
  GraphQLResponseError,
  RetryLaterError,
  createClient,
} from './crewgraph.js';
import {
  ContractorsPageDocument,
  SetContractorTagsDocument,
  ViewerDocument,
  type ContractorsPageQuery,
} from './generated/graphql.js';

type Contractor = ContractorsPageQuery['contractors']['edges'][number]['node'];

const MAX_RETRIES = 3;

async function main(): Promise<number> {
  const url = process.env.CREWGRAPH_URL ?? 'http://127.0.0.1:4000/graphql';
  const token = process.env.CREWGRAPH_TOKEN;
  if (!token) {
    console.error('Set CREWGRAPH_TOKEN to an API key (cgk_…); CREWGRAPH_URL defaults to ' + url);
    return 2;
  }
  const pageSize = Number(process.env.CREWGRAPH_PAGE_SIZE ?? 20);
  const tag = process.env.CREWGRAPH_TAG?.trim();

  const request = createClient({
    url,
    token,
    maxRetries: MAX_RETRIES,
    onRetry: ({ status, waitSeconds, retry, maxRetries }) =>
      console.log(
        `  (HTTP ${status}${status === 429 ? ', rate limited' : ''}: waiting ${waitSeconds} s as Retry-After says, retry ${retry} of ${maxRetries})`,
      ),
  });

  const { viewer } = await request(ViewerDocument);
  console.log(`Signed in as ${viewer.kind} ${viewer.keyId ?? ''} of "${viewer.organization.name}"`);

  const contractors: Contractor[] = [];
  let after: string | null | undefined = null;
  let page = 0;
  do {
    const result: ContractorsPageQuery = await request(ContractorsPageDocument, { first: pageSize, after });
    const { edges, pageInfo, totalCount } = result.contractors;
    page += 1;
    console.log(`Page ${page}: ${edges.length} of ${totalCount} contractors`);
    for (const { node } of edges) {
      contractors.push(node);
      const tags = node.tags.length ? ` [${node.tags.join(', ')}]` : '';
      console.log(`  ${node.name} (${node.city ?? 'no city'}), ${node.approvalStatus}${tags}`);
    }
    after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
  } while (after);
  console.log(`Listed ${contractors.length} contractors in ${page} page(s).`);

  return tagFirstContractor(request, contractors, tag, viewer.allowWrites);
}

/** A small write, to show `userErrors`: input problems come back in the payload, not as errors. */
async function tagFirstContractor(
  request: ReturnType<typeof createClient>,
  contractors: Contractor[],
  tag: string | undefined,
  allowWrites: boolean,
): Promise<number> {
  const first = contractors[0];
  if (!tag) return skip('CREWGRAPH_TAG is not set');
  if (!allowWrites) return skip('this key is read-only (allowWrites: false)');
  if (!first) return skip('there is no contractor to tag');

  const tags = [...new Set([...first.tags, tag])];
  const { updateContractor } = await request(SetContractorTagsDocument, { id: first.id, tags });
  if (updateContractor.userErrors.length) {
    console.log(`Tagging ${first.name} was refused; nothing changed:`);
    for (const { code, field, message } of updateContractor.userErrors) {
      console.log(`  ${code} at ${(field ?? []).join('.')}: ${message}`);
    }
    return 1;
  }
  console.log(`Tagged ${updateContractor.contractor?.name}: [${updateContractor.contractor?.tags.join(', ')}]`);
  return 0;
}

function skip(reason: string): number {
  console.log(`No write: ${reason}.`);
  return 0;
}

/** Turns what Crewgraph refused into a few readable lines and an exit code; never a stack trace. */
function report(error: unknown): number {
  if (error instanceof AuthenticationError) {
    const code = error.errors[0]?.extensions?.code ?? 'UNAUTHENTICATED';
    console.error(`Crewgraph refused the token (HTTP 401, ${code}): ${error.message}`);
    console.error('Check CREWGRAPH_TOKEN: an active API key (cgk_…) of this server, not revoked or expired.');
    return 2;
  }
  if (error instanceof RetryLaterError) {
    console.error(`${error.message}; try again in ${error.retryAfterSeconds} s.`);
    return 1;
  }
  if (error instanceof GraphQLResponseError) {
    console.error(`Crewgraph answered with errors (HTTP ${error.status}):`);
    for (const { message, path, extensions } of error.errors) {
      const where = path ? ` at ${path.join('.')}` : '';
      const requestId = extensions?.requestId ? ` (request ${extensions.requestId})` : '';
      console.error(`  ${extensions?.code ?? 'ERROR'}${where}: ${message}${requestId}`);
    }
    return 1;
  }
  if (error instanceof CrewgraphError) {
    console.error(error.message);
    return 1;
  }
  throw error;
}

process.exitCode = await main().catch(report);
