-- KEYS[1] pending upload; ARGV: first segment, count, bytes, 1 if the last of them is the upload's short last
-- segment, part number, part name, idle deadline ms. Appends segments that went straight into a part (issue 37): only
-- when the upload has exactly that many segments, all moved, its write is named and the part is the next one.
-- Returns 1 when it appended, 0 when the upload is not where the caller saw it, -1 without such an upload.
local v = redis.call('HMGET', KEYS[1], 'n', 'f', 'w', 'm', 'pn')
if not v[1] then return -1 end
local from = tonumber(ARGV[1])
if tonumber(v[1]) ~= from or v[2] == '1' or not v[3] or tonumber(v[4]) ~= from
    or tonumber(v[5]) + 1 ~= tonumber(ARGV[5]) then
  return 0
end
redis.call('HINCRBY', KEYS[1], 'n', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'z', ARGV[3])
redis.call('HSET', KEYS[1], 'f', ARGV[4], 'p' .. ARGV[5], ARGV[6], 'pn', ARGV[5], 'm', from + tonumber(ARGV[2]))
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
return 1
