-- KEYS[1] head, KEYS[2] trace (unused: the claim already marked it); ARGV[1] claim token.
-- The claimer has the head: delete it, if it is still this claimer's.
if redis.call('HGET', KEYS[1], 'c') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
