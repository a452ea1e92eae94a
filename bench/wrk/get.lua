-- GET wrk.path as each user in turn (GET /api/tasks, /api/coach/insights, /healthz).
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function init(args)
  local reqs = {}
  for _, u in ipairs(c.users()) do
    reqs[#reqs + 1] = wrk.format("GET", wrk.path, c.headers(u, false))
  end
  c.serve(reqs)
end
