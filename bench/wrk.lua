-- wrk's script for the benchmark: pre-signed webhooks, sent in order, answers checked.
--
--   wrk -t1 -c16 -d8s -s bench/wrk.lua http://127.0.0.1:8711 -- requests.bin [check]
--
-- requests.bin holds whole HTTP requests, each after its length in 8 decimal digits
-- (bench/wrk.py writes it). Each connection sends the next one in the file; if the file
-- runs out it starts again and says so (`wrapped`), since a repeated request is answered
-- from memory and would flatter the figures. An answer counts as an error unless it is a
-- 200 with TwiML in it, and, with "check", not the safe "trouble" answer or the "too many"
-- answer of the flood limits. done() prints one JSON line.

local requests, count, index = {}, 0, 0
wrapped = 0 -- globals: done() reads them with thread:get
errors, reason = 0, ""
local checking = false
local BAD = { "this line is having a problem", "too many calls", "sent many messages" }

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local data = file:read("*a")
  file:close()
  local at = 1
  while at <= #data do
    local size = tonumber(data:sub(at, at + 7))
    count = count + 1
    requests[count] = data:sub(at + 8, at + 7 + size)
    at = at + 8 + size
  end
  checking = args[2] == "check"
end

function request()
  index = index + 1
  if index > count then
    index, wrapped = 1, wrapped + 1
  end
  return requests[index]
end

local function fail(why)
  errors = errors + 1
  if reason == "" then reason = why end
end

function response(status, headers, body)
  if status ~= 200 then return fail("HTTP " .. status .. ": " .. body:sub(1, 120)) end
  if not body:find("<Response", 1, true) then return fail("no TwiML: " .. body:sub(1, 120)) end
  if checking then
    for _, words in ipairs(BAD) do
      if body:find(words, 1, true) then return fail("answered '" .. words .. "'") end
    end
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, sent)
  local bad, why, turns = 0, "", 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("errors")
    turns = turns + thread:get("wrapped")
    if why == "" then why = thread:get("reason") end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "us": %d, "errors": %d, "reason": "%s", "wrapped": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, bad, why:gsub('[%c"\\]', " "), turns,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
