-- KEYS[1] head; ARGV: expiry ms, attempts, header, token hash, chunk count, inline body
redis.call('HSET', KEYS[1], 'e', ARGV[1], 'a', ARGV[2], 'h', ARGV[3], 't', ARGV[4], 'n', ARGV[5], 'b', ARGV[6])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
