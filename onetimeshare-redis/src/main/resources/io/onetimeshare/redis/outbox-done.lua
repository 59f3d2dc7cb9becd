-- KEYS[1] events; ARGV: field, lease, then to reschedule: due ms and how much to raise the attempt count (1 for a
-- retry, 0 to postpone). Acknowledges (no due) or reschedules one delivery, if the caller's lease still holds it. Returns -1 when the lease is not the caller's, else the deliveries left.
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return -1 end
local due, att, occ, exp, lease = string.match(v, '^([^,]+),([^,]+),([^,]+),([^,]+),([^,]+),')
if lease ~= ARGV[2] then return -1 end
if ARGV[3] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. ',' .. (tonumber(att) + tonumber(ARGV[4] or '1')) .. ',' .. occ .. ',' .. exp .. ',-,0')
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
local left = redis.call('HLEN', KEYS[1]) - 1
if left <= 0 then redis.call('DEL', KEYS[1]) end
return math.max(left, 0)
