-- POST /api/coach/check with actions the CRM does not log itself (so each one
-- is appended to the event log: a write), about one of the user's contacts.
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local actions = { "rate_quote_sent", "preapproval_letter_sent", "document_requested", "loan_estimate_sent" }

function init(args)
  local users, rnd, reqs = c.users(), c.rng(99), {}
  for k = 1, 4000 do
    local u = users[(k - 1) % #users + 1]
    local body
    if #u.contacts > 0 then
      body = string.format('{"action":"%s","entity_type":"contact","entity_id":%d,"metadata":{"rate":%.3f}}',
        actions[rnd(#actions)], u.contacts[rnd(#u.contacts)], 5.5 + rnd(100) / 100)
    else
      body = string.format('{"action":"%s","entity_type":"user","metadata":{"rate":%.3f}}', actions[rnd(#actions)],
        5.5 + rnd(100) / 100)
    end
    reqs[#reqs + 1] = wrk.format("POST", "/api/coach/check", c.headers(u, true), body)
  end
  c.serve(reqs)
end
