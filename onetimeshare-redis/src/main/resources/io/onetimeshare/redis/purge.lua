--#include events.lua
-- KEYS[1] head, KEYS[2] trace (the claim already marked it), KEYS[3] notify, KEYS[4] events; ARGV[1] claim token,
-- ARGV[2] now ms (when missing, as in a retry after an outage, Redis's own clock).
-- The claimer has the head: delete it, if it is still this claimer's, and tell openers waiting for it. The opening of
-- a subscribed secret is recorded here. Returns 0 when not this claimer's, 1, or 2 when an event
-- was recorded.
local v = redis.call('HMGET', KEYS[1], 'c', 'w', 'ns')
if v[1] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if v[2] then redis.call('PUBLISH', KEYS[1] .. ':w', 'p') end
if not v[3] then return 1 end -- nobody subscribed: nothing more to do (no cost for secrets without notifications)
local now = ARGV[2]
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
return 1 + ots_end(KEYS[3], KEYS[4], 'o', now)
