-- KEYS[1] head, KEYS[2] trace; ARGV[1] claim token. The claimer never saw the answer to its claim, or did not want
-- the secret: make it claimable again, with its own expiry back, and its trace waiting again; tell openers waiting.
-- Returns 1 when released, 0 when it was not (or no longer) held by this token.
local v = redis.call('HMGET', KEYS[1], 'c', 'e', 'w')
if v[1] ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'c', 'w')
redis.call('PEXPIREAT', KEYS[1], v[2])
if redis.call('HGET', KEYS[2], 's') == 'o' then
  redis.call('HSET', KEYS[2], 's', 'w')
  redis.call('HDEL', KEYS[2], 'at')
end
if v[3] then redis.call('PUBLISH', KEYS[1] .. ':w', 'r') end
return 1
