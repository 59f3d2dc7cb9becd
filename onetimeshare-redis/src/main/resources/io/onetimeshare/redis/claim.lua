-- KEYS[1] head, KEYS[2] trace; ARGV[1] claim token; ARGV[2] lease ms; ARGV[3] now ms.
-- Marks the head as claimed by this token and returns it; the claimer deletes it (purge.lua) as soon as the answer
-- reaches it, or gives it back (release.lua) when the answer was lost or it does not want it. Of racing claimers
-- exactly one gets the head. The trace says opened from the claim on (release.lua takes that back).
-- Returns nil when there is no head, {0} while another claimer holds it, else {e, a, h, t, n, b, z, ns} (z, the
-- body's length, is missing on heads written before it was kept; ns is set when someone is notified of it).
-- A claimer turned away marks the head 'w' (waited for): whatever ends the claim then publishes on <head>:w.
local v = redis.call('HMGET', KEYS[1], 'e', 'a', 'h', 't', 'n', 'b', 'c', 'z', 'ns')
if not v[1] then return nil end
if v[7] and v[7] ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'w', '1')
  return {0}
end
if not v[7] then
  redis.call('HSET', KEYS[1], 'c', ARGV[1])
  -- a claimer that vanishes without purging or releasing: the secret counts as opened when the lease ends
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 or ttl > tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  if redis.call('HGET', KEYS[2], 's') == 'w' then redis.call('HSET', KEYS[2], 's', 'o', 'at', ARGV[3]) end
end
v[7] = v[8] or false
v[8] = v[9] or false
v[9] = nil
return v
