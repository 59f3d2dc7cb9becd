--#include events.lua
-- KEYS[1] head, KEYS[2] trace, KEYS[3] notify, KEYS[4] events; ARGV[1] now ms, ARGV[2] reason ('d' deleted,
-- 'b' burned). Returns {1 if an unexpired secret was deleted else 0, chunk count, 1 if an event was recorded}. Only
-- that deletion ends the trace (and records the end: a head already claimed counts as opened).
-- Openers waiting for a claim on it (claim.lua's 'w') are told, so they answer "not found" at once.
local v = redis.call('HMGET', KEYS[1], 'e', 'n', 'w', 'ns')
if not v[1] then return {0, 0, 0} end
redis.call('DEL', KEYS[1])
if v[3] then redis.call('PUBLISH', KEYS[1] .. ':w', 'd') end
local live, recorded = 0, 0
if tonumber(v[1]) > tonumber(ARGV[1]) then
  live = 1
  local s = redis.call('HGET', KEYS[2], 's')
  if s == 'w' then
    redis.call('HSET', KEYS[2], 's', ARGV[2], 'at', ARGV[1])
    if v[4] then recorded = ots_end(KEYS[3], KEYS[4], ARGV[2], ARGV[1]) end
  elseif s == 'o' and v[4] then
    recorded = ots_end(KEYS[3], KEYS[4], 'o', ARGV[1])
  end
end
return {live, tonumber(v[2] or '0'), recorded}
