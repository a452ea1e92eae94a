-- POST /api/tasks: a new task for one of the user's contacts, due in 0-6 days.
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local titles = { "Call back about rate lock", "Send pre-approval letter", "Collect two months of bank statements",
  "Order appraisal", "Confirm closing date with title", "Ask for a referral" }
local priorities = { "low", "medium", "medium", "high", "urgent" }

function init(args)
  local users, rnd, reqs = c.users(), c.rng(42 + (tonumber(os.getenv("BENCH_THREAD")) or 0)), {}
  for k = 1, 4000 do
    local u = users[(k - 1) % #users + 1]
    local body = string.format('{"title":"%s","priority":"%s","due_date":"%s"', titles[rnd(#titles)],
      priorities[rnd(#priorities)], os.date("!%Y-%m-%d", os.time() + 86400 * (rnd(7) - 1)))
    if #u.contacts > 0 then body = body .. string.format(',"contact_id":%d', u.contacts[rnd(#u.contacts)]) end
    reqs[#reqs + 1] = wrk.format("POST", "/api/tasks", c.headers(u, true), body .. "}")
  end
  c.serve(reqs)
end
