#!/usr/bin/env bash
# CI for examples/typed-client: installs it from its own lockfile, generates its typed documents
# from schema.graphql, type-checks and compiles it, then runs it against a Crewgraph started here
# (embedded database in a temporary folder, demo data) and checks what it prints: a listing
# through a 429 and Retry-After, a GraphQL error, a userError, a read-only key's skipped write
# and a refused token. Run from anywhere: bash scripts/example-client-ci.sh
set -euo pipefail
cd "$(dirname "$0")/.."
example=examples/typed-client
work=$(mktemp -d)
server_pid=
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    timeout 30 tail --pid="$server_pid" -f /dev/null || kill -KILL "$server_pid"
  fi
  server_pid=
}
trap 'stop_server; rm -rf "$work"' EXIT
fail() {
  echo "example-client-ci: $*" >&2
  exit 1
}
started=$(date +%s)
step() { printf -- '-- %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }

step "start Crewgraph on an empty embedded database with the demo organisation"
port=$(node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")
base=http://127.0.0.1:$port
env -u DATABASE_URL -u REDIS_URL DATA_DIR="$work/data" HOST=127.0.0.1 PORT="$port" SEED_DEMO=1 LOG_LEVEL=warn \
  node --import tsx src/main.ts >"$work/server.log" 2>&1 &
server_pid=$!

# While the server migrates and seeds (most of a first start), the example is built.
step "install, generate, type-check and compile the example"
npm ci --prefix "$example" --no-audit --no-fund --loglevel=error
npm run --prefix "$example" --silent codegen >/dev/null
npm run --prefix "$example" --silent typecheck
npm run --prefix "$example" --silent build

step "wait until Crewgraph is ready"
# Bounded by a deadline, not a sleep: the first start migrates and seeds (seconds on a quiet
# machine, a minute or more on a loaded one).
deadline=$(($(date +%s) + 300))
until curl -fsS "$base/ready" >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server exited before it was ready"; }
  [ "$(date +%s)" -lt "$deadline" ] || { cat "$work/server.log" >&2; fail "the server was not ready within 300 s"; }
  sleep 0.5
done
# The first start on an empty database prints the demo admin token once.
admin_token=$(grep -oE 'cga_[A-Za-z0-9_]+' "$work/server.log" | head -n 1) || true
[ -n "$admin_token" ] || { cat "$work/server.log" >&2; fail "no demo admin token in the server's output"; }

step "create the example's API keys with the admin token"
# Three keys on every project: one writing key with a budget of 2 requests per 10 s (so its
# third request is refused with 429 and Retry-After), one writing key with the usual budget,
# one read-only key. Printed as three tokens on one line.
keys=$(ADMIN_TOKEN=$admin_token URL="$base/graphql" node --input-type=module -e '
const call = async (query, variables) => {
  const res = await fetch(process.env.URL, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${process.env.ADMIN_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};
const { projects } = await call("{ projects(first: 100) { edges { node { id } } } }");
const projectIds = projects.edges.map((edge) => edge.node.id);
const create = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { token userErrors { code message } } }`;
const tokens = [];
for (const input of [
  { name: "Typed client example, 2 per 10 s", allowWrites: true, rateLimit: { requests: 2, perSeconds: 10 } },
  { name: "Typed client example", allowWrites: true },
  { name: "Typed client example, read-only", allowWrites: false },
]) {
  const { createApiKey } = await call(create, { input: { ...input, projectIds } });
  if (createApiKey.userErrors.length) throw new Error(JSON.stringify(createApiKey.userErrors));
  tokens.push(createApiKey.token);
}
console.log(tokens.join(" "));
')
read -r limited_key writing_key readonly_key <<<"$keys"

# Runs the example with the given environment; its output goes to $work/out, its exit code is
# checked against the first argument.
run_example() {
  local expected=$1
  shift
  local code=0
  env CREWGRAPH_URL="$base/graphql" "$@" timeout 120 node "$example/dist/list-contractors.js" >"$work/out" 2>&1 || code=$?
  sed 's/^/   | /' "$work/out"
  [ "$code" -eq "$expected" ] || fail "the example exited with $code, expected $expected"
}
expect() {
  grep -qF -- "$1" "$work/out" || fail "the example's output lacks: $1"
}

step "1. list page by page through a 429, then tag the first contractor"
run_example 0 CREWGRAPH_TOKEN="$limited_key" CREWGRAPH_PAGE_SIZE=10 CREWGRAPH_TAG=typed-client
expect 'Page 2: 10 of 20 contractors'
expect 'Listed 20 contractors in 2 page(s).'
expect '(HTTP 429, rate limited: waiting '
expect 'Tagged Apex Scaffolding: ['
expect 'typed-client]'

step "2. a GraphQL error (a page over 100) is printed with its code"
run_example 1 CREWGRAPH_TOKEN="$writing_key" CREWGRAPH_PAGE_SIZE=500
expect 'BAD_USER_INPUT at contractors:'

step "3. a userError (a tag over 50 characters) is printed, nothing changes"
run_example 1 CREWGRAPH_TOKEN="$writing_key" CREWGRAPH_TAG="$(printf 't%.0s' $(seq 1 51))"
expect 'TOO_LONG at input.tags.'

step "4. a read-only key skips the write"
run_example 0 CREWGRAPH_TOKEN="$readonly_key" CREWGRAPH_TAG=typed-client
expect 'No write: this key is read-only (allowWrites: false).'

step "5. a refused token is one clear message, exit code 2"
run_example 2 CREWGRAPH_TOKEN="cgk_not_a_real_key"
expect 'Crewgraph refused the token (HTTP 401, UNAUTHENTICATED)'

stop_server
step "typed-client example: all checks passed"
