-- KEYS[1] pending upload, KEYS[2] the chunk key of this segment; ARGV: index, segment, 1 if it is the last (short)
-- segment, idle deadline ms, chunk expiry ms. Appends only the expected segment, atomically with the count.
-- Returns the count afterwards (a segment already stored is ignored), -1 without such an upload, -2 out of order.
local v = redis.call('HMGET', KEYS[1], 'n', 'f')
if not v[1] then return -1 end
local n = tonumber(v[1])
local i = tonumber(ARGV[1])
if i < n then return n end
if i > n or v[2] == '1' then return -2 end
redis.call('SET', KEYS[2], ARGV[2], 'PXAT', ARGV[5])
redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HINCRBY', KEYS[1], 'z', string.len(ARGV[2]))
redis.call('HSET', KEYS[1], 'f', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return n + 1
