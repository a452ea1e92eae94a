-- Shared by the wrk scripts: load users, pre-build requests, report.
--
-- BENCH_LOAD names a file with one line per user: "<api token> <contact id> ...".
-- Requests are built once per wrk thread in init() and replayed round-robin,
-- so wrk spends no time formatting while it measures (no response() hook
-- either: wrk then skips reading bodies into Lua). BENCH_NAME and BENCH_OUT
-- make done() append one tab-separated result line.
local M = {}

function M.users()
  local users = {}
  for line in io.lines(os.getenv("BENCH_LOAD")) do
    local u = { contacts = {} }
    for w in line:gmatch("%S+") do
      if not u.token then u.token = w else u.contacts[#u.contacts + 1] = tonumber(w) end
    end
    if u.token then users[#users + 1] = u end
  end
  assert(#users > 0, "no users in BENCH_LOAD")
  return users
end

-- Installs request() over `reqs` (a list of raw HTTP requests).
function M.serve(reqs)
  local i, n = 0, #reqs
  request = function()
    i = i % n + 1
    return reqs[i]
  end
end

function M.headers(u, json)
  local h = { ["Authorization"] = "Bearer " .. u.token }
  if json then h["Content-Type"] = "application/json" end
  return h
end

-- A pseudo-random sequence that is the same on every run.
function M.rng(seed)
  local s = seed
  return function(n)
    s = (s * 1103515245 + 12345) % 2147483648
    return s % n + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local f = assert(io.open(os.getenv("BENCH_OUT"), "a"))
  -- name requests seconds req/s p50_ms p99_ms max_ms non2xx connect read write timeout
  f:write(string.format("%s\t%d\t%.2f\t%.0f\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t%d\t%d\n",
    os.getenv("BENCH_NAME") or "?", summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
  f:close()
end

return M
