-- Revokes a credential until ARGV[1] (ms since the epoch; issue 36, finding 8). KEYS[1]: its revocation key. The key
-- expires when the revocation runs out, so Redis forgets it by itself.
redis.call('SET', KEYS[1], '1', 'PXAT', ARGV[1])
return 1
