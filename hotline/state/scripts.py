"""The store's Lua scripts: each runs in Redis as one atomic step, in one round trip.

Rules this module keeps:
- A script touches only the keys it is given (`KEYS`), so on a Redis Cluster each one can
  be routed to one hash slot; `COUNT` exists for the cluster path, where a flood counter
  cannot share the session's slot (and `CLAIM_TEXT`'s keys are sent one command each there).
- Every key a script creates gets a TTL in the same script: never a key without one.
"""

#: How many requests a session remembers with their replies, so that a late repeat of an
#: earlier turn is answered again instead of moving the conversation. `q` holds their
#: digests, newest first; the replies are kept in as many slots (`r`, `r1`, `r2`, ...), used
#: in turn: the k-th newest is in slot (`p` + k) mod REMEMBERED, and a write puts the new
#: reply in the slot of the oldest and moves `p` back by one, so that no reply is copied from
#: slot to slot (a call's is 1.3-1.7 KB). A session without `p` (written before it existed)
#: has `p` 0: the newest in `r`, the next in `r1`, and so on.
REMEMBERED = 4

# KEYS[1] the session; ARGV[1] how many person keys follow (0 or 2: opt-out, language);
# ARGV[2] the digest of the request being answered ('' for none); then flood counters, up to
# KEYS[last], ARGV[i + 2] the TTL of the i-th counter. A counter gets its TTL when it is
# created, or if it somehow has none: never a key without one. Of the session it reads the
# version, the session and the requests remembered (`q`), and a reply (`r`, `r1`, ...: over a
# kilobyte each) only when the request is one of them, as {its place, the reply}: only a
# repeat needs one.
_READING = """
local counts = {}
for i = 2 + people, last do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 or redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[i - people + 1]) end
  counts[#counts + 1] = n
end
local person = {}
if people == 2 then person = {redis.call('EXISTS', KEYS[2]), redis.call('GET', KEYS[3]) or ''} end
local session = redis.call('HMGET', KEYS[1], 'v', 's', 'q', 'p')
local reply = {}
if ARGV[2] ~= '' and session[3] then
  local place = 0
  for digest in string.gmatch(session[3], '%S+') do
    if digest == ARGV[2] then
      local slot = (tonumber(session[4] or '0') + place) % remembered
      reply = {place, redis.call('HGET', KEYS[1], slot == 0 and 'r' or ('r' .. slot)) or ''}
      break
    end
    place = place + 1
  end
end
"""
READ = (f"local remembered = {REMEMBERED}\n" + "local people, last = tonumber(ARGV[1]), #KEYS\n" + _READING
        + "return {session, counts, person, reply}\n")

# A flood counter on its own (Redis Cluster): the same as one turn of READ's loop.
COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""

# Usage figures (`stats`), appended to the scripts that write: for each key from KEYS[k]
# on, ARGV from `a` on holds its kind ('h' a hash of counters, 'p' a HyperLogLog), its TTL,
# the number of items, then the items (field and increment pairs, or elements). A key gets
# its TTL when it has none: never a key without one.
TALLY = """
local function tally(k, a)
  for key = k, #KEYS do
    local kind, ttl, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
    a = a + 3
    if kind == 'p' then
      redis.call('PFADD', KEYS[key], unpack(ARGV, a, a + n - 1))
      a = a + n
    else
      for i = a, a + 2 * n - 1, 2 do redis.call('HINCRBY', KEYS[key], ARGV[i], ARGV[i + 1]) end
      a = a + 2 * n
    end
    if redis.call('TTL', KEYS[key]) < 0 then redis.call('EXPIRE', KEYS[key], ttl) end
  end
end
"""


# ARGV[5] the digest of the request answered ('' for a request without an id: the requests
# remembered stay as they are), ARGV[6] its reply.
# ARGV[7] how many person keys follow the session (0, or 2: KEYS[2], KEYS[3], the
# person's opt-out and language keys); then ARGV[8] 'set' or 'del' the opt-out (kept
# ARGV[9] seconds), ARGV[10] a language to keep ARGV[11] seconds. The keys after those
# are the usage figures' (`TALLY`), counted only when the write is made.
CAS = TALLY + f"local remembered = {REMEMBERED}\n" + """
local current = redis.call('HMGET', KEYS[1], 'v', 'q', 'p')
if (current[1] or '0') ~= ARGV[1] then return 0 end
if ARGV[5] ~= '' then
  local kept = {ARGV[5]}
  for digest in string.gmatch(current[2] or '', '%S+') do
    if #kept < remembered then kept[#kept + 1] = digest end
  end
  local newest = (tonumber(current[3] or '0') + remembered - 1) % remembered
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3], 'q', table.concat(kept, ' '), 'p', newest,
             newest == 0 and 'r' or ('r' .. newest), ARGV[6])
else
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
local people = tonumber(ARGV[7])
if people == 2 then
  if ARGV[8] == 'set' then redis.call('SET', KEYS[2], '1', 'EX', ARGV[9])
  elseif ARGV[8] == 'del' then redis.call('DEL', KEYS[2]) end
  if ARGV[10] ~= '' then redis.call('SET', KEYS[3], ARGV[10], 'EX', ARGV[11]) end
end
tally(2 + people, 8 + 2 * people)
return 1
"""

# A call has ended (the status callback): KEYS[1] its session, deleted; then one day key
# per language (ARGV[4 + i] names the language of KEYS[1 + i]). ARGV[1] the length bucket,
# ARGV[2] the nodes where the hotline itself ends a call (' '-separated): ending anywhere
# else is a hang-up. ARGV[3] the day keys' TTL, ARGV[4] how many languages. The day key of
# the call's language gets `left:<node>`, `length:<bucket>` (and `hangup:<node>`). The
# rest follows the TALLY layout.
ENDED = TALLY + """
local stored = redis.call('HGET', KEYS[1], 's')
redis.call('DEL', KEYS[1])
local languages = tonumber(ARGV[4])
if stored then
  local session = cjson.decode(stored)
  local node = session['node']
  for i = 1, languages do
    if ARGV[4 + i] == session['lang'] and type(node) == 'string' then
      redis.call('HINCRBY', KEYS[1 + i], 'left:' .. node, 1)
      redis.call('HINCRBY', KEYS[1 + i], 'length:' .. ARGV[1], 1)
      if not string.find(' ' .. ARGV[2] .. ' ', ' ' .. node .. ' ', 1, true) then
        redis.call('HINCRBY', KEYS[1 + i], 'hangup:' .. node, 1)
      end
      if redis.call('TTL', KEYS[1 + i]) < 0 then redis.call('EXPIRE', KEYS[1 + i], ARGV[3]) end
    end
  end
end
tally(2 + languages, 5 + languages)
return stored and 1 or 0
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

# A new conversation in one round trip: READ (with the person's two keys, KEYS[2] and
# KEYS[3], and the flood counters up to KEYS[last]), then, if there is no session, nothing
# is kept about the number and no counter is past its limit, the write the hotline worked
# out beforehand for exactly that case. KEYS after the counters are the usage figures'.
# ARGV: as READ's (ARGV[1] is 2), then each counter's limit, the session, its TTL, the reply,
# then the `tally` block's; the very last is the number of counters. Returns 1 if it wrote,
# else what READ returns, and the hotline goes on as after a READ.
FIRST = TALLY + f"local remembered = {REMEMBERED}\n" + "local people, last = 2, 3 + tonumber(ARGV[#ARGV])\n" + \
    _READING + """
local c = last - 3
for i = 1, c do
  if counts[i] > tonumber(ARGV[2 + c + i]) then return {session, counts, person, reply} end
end
if session[1] or person[1] == 1 or person[2] ~= '' then return {session, counts, person, reply} end
if ARGV[2] ~= '' then  -- as CAS writes a first version: the reply in the slot before slot 0
  redis.call('HSET', KEYS[1], 'v', 1, 's', ARGV[3 + 2 * c], 'q', ARGV[2], 'p', remembered - 1,
             'r' .. (remembered - 1), ARGV[5 + 2 * c])
else
  redis.call('HSET', KEYS[1], 'v', 1, 's', ARGV[3 + 2 * c])
end
redis.call('EXPIRE', KEYS[1], ARGV[4 + 2 * c])
tally(last + 1, 6 + 2 * c)
return 1
"""
