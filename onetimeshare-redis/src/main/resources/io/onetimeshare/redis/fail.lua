-- KEYS[1] head; ARGV[1] now ms. Returns {attempts left, chunk count}; {-1, 0} when absent or expired.
local e = redis.call('HGET', KEYS[1], 'e')
if not e then return {-1, 0} end
if tonumber(e) <= tonumber(ARGV[1]) then return {-1, 0} end
local n = redis.call('HINCRBY', KEYS[1], 'a', -1)
local c = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n <= 0 then
  redis.call('DEL', KEYS[1])
  return {0, c}
end
return {n, c}
