-- KEYS[1] request, KEYS[2] head, KEYS[3] pending upload; ARGV: expiry ms, public key, owner token hash, forget-at ms.
-- A secret request (issue 23): stored only when nothing holds the id. Returns 1, or 0 when the id is taken.
if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[3]) > 0 then return 0 end
redis.call('HSET', KEYS[1], 'e', ARGV[1], 'p', ARGV[2], 'o', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return 1
