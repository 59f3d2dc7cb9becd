-- KEYS[1] request, KEYS[2] pending upload, KEYS[3] head, KEYS[4] trace; ARGV: now ms, then begin.lua's: expiry ms,
-- attempts, token hash, segment size, idle deadline ms, subscription ('' for none).
-- The one answer to a request (issue 23): marks the request answered and begins the upload, in one step, only when
-- the request is there, unexpired and unanswered and nothing holds its id. An answer that began and left nothing (its
-- upload expired idle or was aborted before it was stored: no upload, no secret, no trace) no longer holds the
-- request. Returns 1 begun, 0 answered already, -1 no such request (or expired).
local q = redis.call('HMGET', KEYS[1], 'e', 'a')
if not q[1] or tonumber(q[1]) <= tonumber(ARGV[1]) then return -1 end
if q[2] and redis.call('EXISTS', KEYS[4]) > 0 then return 0 end
if redis.call('EXISTS', KEYS[2], KEYS[3]) > 0 then return 0 end
redis.call('HSET', KEYS[1], 'a', ARGV[1])
redis.call('HSET', KEYS[2], 'e', ARGV[2], 'a', ARGV[3], 't', ARGV[4], 's', ARGV[5], 'n', 0, 'z', 0, 'f', 0)
if ARGV[7] ~= '' then redis.call('HSET', KEYS[2], 'ns', ARGV[7]) end
redis.call('PEXPIREAT', KEYS[2], ARGV[6])
return 1
