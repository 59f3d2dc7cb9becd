-- KEYS[1] head. Atomically takes the head: whoever runs this first gets the secret, everyone else gets nil.
local v = redis.call('HMGET', KEYS[1], 'e', 'a', 'h', 't', 'n', 'b')
if not v[1] then return nil end
redis.call('DEL', KEYS[1])
return v
