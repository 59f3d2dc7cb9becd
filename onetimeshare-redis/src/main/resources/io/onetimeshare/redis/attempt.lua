-- KEYS[1] head; ARGV[1] now ms; ARGV[2] delta (-1 takes an attempt before a passphrase is tried, +1 gives back one
-- whose try never ran). Returns the attempts left afterwards; -1 when absent, expired, claimed, or none left to take.
-- A head at zero is not deleted here: a passphrase still being tried may be the right one.
local v = redis.call('HMGET', KEYS[1], 'e', 'a', 'c')
if not v[1] or v[3] then return -1 end
if tonumber(v[1]) <= tonumber(ARGV[1]) then return -1 end
local n = tonumber(v[2]) + tonumber(ARGV[2])
if n < 0 then return -1 end
redis.call('HSET', KEYS[1], 'a', n)
return n
