-- KEYS[1] pending upload, KEYS[2] head; ARGV: expiry ms, attempts, token hash, segment size, idle deadline ms,
-- subscription ('' for none). Returns 1, or 0 when the id is taken.
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return 0 end
redis.call('HSET', KEYS[1], 'e', ARGV[1], 'a', ARGV[2], 't', ARGV[3], 's', ARGV[4], 'n', 0, 'z', 0, 'f', 0)
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'ns', ARGV[6]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
return 1
