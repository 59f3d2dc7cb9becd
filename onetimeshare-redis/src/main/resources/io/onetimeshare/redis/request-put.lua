--#include events.lua
-- KEYS[1] request, KEYS[2] head, KEYS[3] pending upload, KEYS[4] notify, KEYS[5] events; ARGV: expiry ms, public key,
-- owner token hash, forget-at ms, subscription ('' for none), answer token hash ('' for none: only a request
-- stored before 0.4 lacks it, and it can no longer be answered).
-- A secret request (issue 23): stored only when nothing holds the id. A subscribed request (the asker's callback) is
-- subscribed like a secret: the outbox sweep records its expiry unless its answer's finish took the subscription
-- over. Returns 1, or 0 when the id is taken.
if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[3]) > 0 then return 0 end
redis.call('HSET', KEYS[1], 'e', ARGV[1], 'p', ARGV[2], 'o', ARGV[3])
if ARGV[6] ~= nil and ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 't', ARGV[6]) end
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'n', ARGV[5])
  ots_subscribe(KEYS[4], KEYS[5], ARGV[5], ARGV[1])
end
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return 1
