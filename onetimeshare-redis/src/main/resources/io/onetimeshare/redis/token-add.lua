-- Adds an API token (issue 21). KEYS: byHash, names (one hash slot: {prefix:tokens}). ARGV: name, hash, record.
-- A name is taken at most once; 0 if it exists.
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
