-- KEYS[1] head; ARGV[1] now ms. Returns {1 if an unexpired secret was deleted else 0, chunk count}.
local v = redis.call('HMGET', KEYS[1], 'e', 'n')
if not v[1] then return {0, 0} end
redis.call('DEL', KEYS[1])
local live = 0
if tonumber(v[1]) > tonumber(ARGV[1]) then live = 1 end
return {live, tonumber(v[2] or '0')}
