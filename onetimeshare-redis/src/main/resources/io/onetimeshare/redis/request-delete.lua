-- KEYS[1] request, KEYS[2] head, KEYS[3] notify. Withdraws a request (issue 23): when no answer is stored under its
-- id, its subscription goes too (nobody is to hear of a withdrawn request's expiry). Returns 1 if it was there.
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('DEL', KEYS[3]) end
return redis.call('DEL', KEYS[1])
