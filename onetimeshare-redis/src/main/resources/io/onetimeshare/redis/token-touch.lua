-- Records the last use of the API token ARGV[1] at ARGV[2] (epoch ms), only while it exists (issue 21).
-- KEYS: byHash, used (one hash slot).
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
return 1
