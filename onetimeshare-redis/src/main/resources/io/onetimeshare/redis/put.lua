--#include events.lua
-- KEYS[1] head, KEYS[2] trace, KEYS[3] notify, KEYS[4] events; ARGV: expiry ms, attempts, header, token hash, chunk
-- count, inline body, trace forget-at ms, body length, subscription ('' for none), now ms. The trace (for the
-- creator's receipt) is written with the head, as waiting; a subscribed secret records its creation here too.
redis.call('HSET', KEYS[1], 'e', ARGV[1], 'a', ARGV[2], 'h', ARGV[3], 't', ARGV[4], 'n', ARGV[5], 'b', ARGV[6],
  'z', ARGV[8])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'e', ARGV[1], 't', ARGV[4], 's', 'w')
redis.call('HDEL', KEYS[2], 'at')
redis.call('PEXPIREAT', KEYS[2], ARGV[7])
if ARGV[9] ~= '' then
  redis.call('HSET', KEYS[1], 'ns', '1') -- subscribed: the scripts that end it look at its notify hash only then
  ots_subscribe(KEYS[3], KEYS[4], ARGV[9], ARGV[1])
  return 1 + ots_record(KEYS[3], KEYS[4], 'c', ARGV[10])
end
return 1
