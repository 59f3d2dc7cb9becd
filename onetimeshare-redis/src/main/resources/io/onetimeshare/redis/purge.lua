-- KEYS[1] head, KEYS[2] trace (unused: the claim already marked it); ARGV[1] claim token.
-- The claimer has the head: delete it, if it is still this claimer's, and tell openers waiting for it.
local v = redis.call('HMGET', KEYS[1], 'c', 'w')
if v[1] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if v[2] then redis.call('PUBLISH', KEYS[1] .. ':w', 'p') end
return 1
