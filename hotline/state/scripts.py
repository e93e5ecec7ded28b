"""The store's Lua scripts: each runs in Redis as one atomic step, in one round trip.

Rules this module keeps:
- A script touches only the keys it is given (`KEYS`), so on a Redis Cluster each one can
  be routed to one hash slot; `COUNT` exists for the cluster path, where a flood counter
  cannot share the session's slot (and `CLAIM_TEXT`'s keys are sent one command each there).
- Every key a script creates gets a TTL in the same script: never a key without one.
"""

# KEYS[1] the session; ARGV[1] how many person keys follow (0 or 2: opt-out, language);
# then flood counters, ARGV[i + 1] the TTL of the i-th counter. A counter gets its TTL when
# it is created, or if it somehow has none: never a key without one.
READ = """
local people = tonumber(ARGV[1])
local counts = {}
for i = 2 + people, #KEYS do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 or redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[i - people]) end
  counts[#counts + 1] = n
end
local person = {}
if people == 2 then person = {redis.call('EXISTS', KEYS[2]), redis.call('GET', KEYS[3]) or ''} end
return {redis.call('HGETALL', KEYS[1]), counts, person}
"""

# A flood counter on its own (Redis Cluster): the same as one turn of READ's loop.
COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""

# KEYS[2], KEYS[3] (if given): the person's opt-out and language keys; ARGV[7] 'set' or
# 'del' the opt-out (kept ARGV[8] seconds), ARGV[9] a language to keep ARGV[10] seconds.
CAS = """
local current = redis.call('HGET', KEYS[1], 'v')
if (current or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3], 'q', ARGV[5], 'r', ARGV[6])
redis.call('EXPIRE', KEYS[1], ARGV[4])
if #KEYS == 3 then
  if ARGV[7] == 'set' then redis.call('SET', KEYS[2], '1', 'EX', ARGV[8])
  elseif ARGV[7] == 'del' then redis.call('DEL', KEYS[2]) end
  if ARGV[9] ~= '' then redis.call('SET', KEYS[3], ARGV[9], 'EX', ARGV[10]) end
end
return 1
"""

# A text during a call (hotline/calltexts.py). KEYS[1] the claim for this call, turn and
# node; KEYS[2] the number's opt-out mark; KEYS[3] the number's SMS flood counter; KEYS[4]
# everyone's counter of texts during calls.
# ARGV[1] the claim's TTL, ARGV[2] the counters' TTL, ARGV[3] and ARGV[4] their limits.
CLAIM_TEXT = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 'repeat' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'opted_out' end
local over = false
for i = 3, 4 do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 or redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[2]) end
  if n > tonumber(ARGV[i]) then over = true end
end
if over then return 'limited' end
return 'send'
"""
