-- wrk script for the Crewgraph benchmark: POSTs one body to every request.
--   wrk -s bench/wrk.lua <url> -- <body file> <headers file> [uuid]
-- headers file: one "Name: value" per line. With "uuid", every "{{UUID}}" in the body is
-- replaced by a fresh random UUID per request (PostGraphile's createGoal needs a client id).
-- Counts non-200 answers and 200 answers carrying GraphQL "errors", and prints one line
-- "BENCH_JSON {...}" with throughput and latency percentiles (microseconds) for run.ts.
-- Latency is measured from sending a request to its answer (a paced delay is not part of it).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- globals, so done() can read them from each thread with thread:get()
non200 = 0
gql_errors = 0

local body, headers, prepared, uuid_mode

function init(args)
  local f = assert(io.open(args[1], "rb"))
  body = f:read("*a")
  f:close()
  headers = {}
  for line in io.lines(args[2]) do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    if name then headers[name] = value end
  end
  uuid_mode = args[3] == "uuid"
  prepared = wrk.format("POST", nil, headers, body)
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000))
end

local function r16()
  return math.random(0, 65535)
end

local function uuid()
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x",
    r16(), r16(), r16(), math.random(0, 4095), 32768 + math.random(0, 16383), r16(), r16(), r16())
end

function request()
  if uuid_mode then
    local b = body:gsub("{{UUID}}", uuid())
    return wrk.format("POST", nil, headers, b)
  end
  return prepared
end

-- Paced mode (BENCH_DELAY_MS set, fractional milliseconds): each connection waits that long
-- after every answer before its next request, so the offered load stays below the peak. wrk
-- decides whether delay() exists when it loads the script, hence the environment variable.
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pace and pace > 0 then
  function delay()
    local whole = math.floor(pace)
    return whole + ((math.random() < pace - whole) and 1 or 0)
  end
end

function response(status, _, resp)
  if status ~= 200 then
    non200 = non200 + 1
  elseif resp and resp:find('"errors"', 1, true) then
    gql_errors = gql_errors + 1
  end
end

function done(summary, latency, _)
  local bad, gql = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
    gql = gql + thread:get("gql_errors")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"non200":%d,"gql_errors":%d,"socket_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, bad, gql,
    e.connect + e.read + e.write, e.timeout))
end
