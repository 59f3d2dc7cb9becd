--#include events.lua
-- KEYS[1] pending upload, KEYS[2] head, KEYS[3] trace, KEYS[4] notify, KEYS[5] events, KEYS[6..] the chunk keys
-- 0..n-1; ARGV: header, trace forget-at ms, chunk expiry ms, now ms. Turns the upload into a secret in one step:
-- head, trace, chunk expiries, and a subscribed secret's subscription and creation event.
-- Returns 1 (2 when an event was recorded), 0 without such an upload, -1 without segments, -2 when segments arrived
-- since the caller counted.
local v = redis.call('HMGET', KEYS[1], 'e', 'a', 't', 'n', 'z', 'ns')
if not v[1] then return 0 end
local n = tonumber(v[4])
if n == 0 then return -1 end
if n ~= #KEYS - 5 then return -2 end
redis.call('HSET', KEYS[2], 'e', v[1], 'a', v[2], 'h', ARGV[1], 't', v[3], 'n', n, 'b', '', 'z', v[5] or '-1')
redis.call('PEXPIREAT', KEYS[2], v[1])
redis.call('HSET', KEYS[3], 'e', v[1], 't', v[3], 's', 'w')
redis.call('PEXPIREAT', KEYS[3], ARGV[2])
for k = 6, #KEYS do redis.call('PEXPIREAT', KEYS[k], ARGV[3]) end
redis.call('DEL', KEYS[1])
if v[6] then
  redis.call('HSET', KEYS[2], 'ns', '1')
  ots_subscribe(KEYS[4], KEYS[5], v[6], v[1])
  return 1 + ots_record(KEYS[4], KEYS[5], 'c', ARGV[4])
end
return 1
