-- The request mix of scripts/load for wrk (benchmarks/load.py writes the data file it reads).
--
-- LOAD_DATA names a Lua file that sets: cookies (one "Cookie:" value per signed-in user; empty
-- for the floor), groups ({weight, {path, ...}}: each request takes a group by its weight, then
-- one of its paths at random, as a random one of the users),
-- think_ms (mean think time between a user's requests, 0 for none), max_requests (per thread),
-- events_dir (where each thread writes its failed responses, one line each: second, status,
-- traceback seen).
dofile(os.getenv("LOAD_DATA"))

local threads = {}
local total_weight = 0
for _, group in ipairs(groups) do
   total_weight = total_weight + group[1]
end

local function pick()
   local r = math.random() * total_weight
   for _, group in ipairs(groups) do
      r = r - group[1]
      if r <= 0 then
         return group[2][math.random(#group[2])]
      end
   end
   local last = groups[#groups][2]
   return last[math.random(#last)]
end
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

function init(args)
   math.randomseed(id * 7919 + os.time())
   done_requests = 0
   ok = 0
   redirects = 0
   unavailable = 0
   client_errors = 0
   server_errors = 0
   tracebacks = 0
   events = io.open(string.format("%s/thread-%d.log", events_dir, id), "w")
end

function delay()
   if think_ms <= 0 then
      return 0
   end
   -- Exponential think time around the mean: users do not click in step.
   return math.floor(-think_ms * math.log(1 - math.random()))
end

function request()
   local path = pick()
   local headers = { ["X-Forwarded-Proto"] = "https" }
   if #cookies > 0 then
      headers["Cookie"] = cookies[math.random(#cookies)]
   end
   return wrk.format("GET", path, headers)
end

function response(status, headers, body)
   done_requests = done_requests + 1
   local traceback = body ~= nil and (string.find(body, "Traceback (most recent call last)", 1, true)
      or string.find(body, "Exception Value", 1, true)) and 1 or 0
   tracebacks = tracebacks + traceback
   if status < 300 then
      ok = ok + 1
   elseif status < 400 then
      redirects = redirects + 1
   elseif status == 503 then
      unavailable = unavailable + 1
   elseif status < 500 then
      client_errors = client_errors + 1
   else
      server_errors = server_errors + 1
   end
   if status >= 300 or traceback == 1 then
      local clear = (body ~= nil and string.find(body, "try again in a minute", 1, true)) and 1 or 0
      events:write(string.format("%d %d %d %d\n", os.time(), status, traceback, clear))
      events:flush()
   end
   if done_requests >= max_requests then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local totals = { ok = 0, redirects = 0, unavailable = 0, client_errors = 0, server_errors = 0, tracebacks = 0 }
   for _, thread in ipairs(threads) do
      for name, _ in pairs(totals) do
         totals[name] = totals[name] + (thread:get(name) or 0)
      end
   end
   local e = summary.errors
   io.write(string.format(
      "LOADRESULT {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p95_us\": %d, \"p99_us\": %d, " ..
      "\"max_us\": %d, \"connect\": %d, \"read\": %d, \"write\": %d, \"status\": %d, \"timeout\": %d, " ..
      "\"ok\": %d, \"redirects\": %d, \"unavailable\": %d, \"client_errors\": %d, \"server_errors\": %d, \"tracebacks\": %d}\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.max, e.connect, e.read, e.write, e.status, e.timeout,
      totals.ok, totals.redirects, totals.unavailable, totals.client_errors, totals.server_errors, totals.tracebacks))
end
