-- KEYS[1] pending upload, KEYS[2] head, KEYS[3] trace, KEYS[4..] the chunk keys 0..n-1; ARGV: header, trace
-- forget-at ms, chunk expiry ms. Turns the upload into a secret in one step: head, trace, chunk expiries.
-- Returns 1, 0 without such an upload, -1 without segments, -2 when segments arrived since the caller counted.
local v = redis.call('HMGET', KEYS[1], 'e', 'a', 't', 'n', 'z')
if not v[1] then return 0 end
local n = tonumber(v[4])
if n == 0 then return -1 end
if n ~= #KEYS - 3 then return -2 end
redis.call('HSET', KEYS[2], 'e', v[1], 'a', v[2], 'h', ARGV[1], 't', v[3], 'n', n, 'b', '', 'z', v[5] or '-1')
redis.call('PEXPIREAT', KEYS[2], v[1])
redis.call('HSET', KEYS[3], 'e', v[1], 't', v[3], 's', 'w')
redis.call('PEXPIREAT', KEYS[3], ARGV[2])
for k = 4, #KEYS do redis.call('PEXPIREAT', KEYS[k], ARGV[3]) end
redis.call('DEL', KEYS[1])
return 1
