-- Revokes the API token called ARGV[1] (issue 21). KEYS: byHash, names, used (one hash slot). 1 if there was one.
local hash = redis.call('HGET', KEYS[2], ARGV[1])
if not hash then
  return 0
end
redis.call('HDEL', KEYS[1], hash)
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], hash)
return 1
