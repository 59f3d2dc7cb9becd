-- KEYS[1] head, KEYS[2] trace, KEYS[3] notify, KEYS[4] events; ARGV[1] the token hash the put wrote.
-- A put that Redis could not confirm on its replicas (issue 35) is taken back: its creator was told it was not
-- stored, so nothing may claim it exists (no head to open, no receipt, no event to announce it). Only the put's own
-- head is removed (the token hash matches); a head that was never written, or already claimed, is left alone.
-- Returns 1 when withdrawn, 0 otherwise.
local v = redis.call('HMGET', KEYS[1], 't', 'c')
if not v[1] or v[1] ~= ARGV[1] or v[2] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 1
