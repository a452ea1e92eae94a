-- POST /api/activities: calls (with outcomes), texts and emails to the user's contacts, now.
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local kinds = {
  '"type":"call","outcome":"answered","duration_seconds":%d',
  '"type":"call","outcome":"no_answer","duration_seconds":%d',
  '"type":"call","outcome":"voicemail","duration_seconds":%d',
  '"type":"text"', '"type":"email"', '"type":"email"',
}

function init(args)
  local users, rnd, reqs = c.users(), c.rng(7), {}
  for k = 1, 4000 do
    local u = users[(k - 1) % #users + 1]
    local body = "{" .. string.format(kinds[rnd(#kinds)], rnd(900))
    if #u.contacts > 0 then body = body .. string.format(',"contact_id":%d', u.contacts[rnd(#u.contacts)]) end
    reqs[#reqs + 1] = wrk.format("POST", "/api/activities", c.headers(u, true), body .. "}")
  end
  c.serve(reqs)
end
