-- KEYS[1] head; ARGV[1] claim token. The claimer never saw the answer to its claim: make the secret claimable again,
-- with its own expiry back. Returns 1 when released, 0 when it was not (or no longer) held by this token.
local v = redis.call('HMGET', KEYS[1], 'c', 'e')
if v[1] ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'c')
redis.call('PEXPIREAT', KEYS[1], v[2])
return 1
