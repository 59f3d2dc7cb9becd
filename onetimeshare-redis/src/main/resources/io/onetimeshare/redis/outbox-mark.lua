-- KEYS[1] the outbox index, KEYS[2] its waiting set (one slot: {<prefix>:outbox}); ARGV[1] id, ARGV[2] when to look
-- (ms), ARGV[3] '1' when an event was recorded (the waiting set then holds it from ARGV[2] on, unless it already does).
-- The index says which secrets the outbox sweep looks at, and when: lowered, never raised. A script (not two
-- commands) so that it can wait for the replicas like the change it points at (issue 35): a failover of the index's
-- primary must not make events that are safely stored invisible to the sweep.
redis.call('ZADD', KEYS[1], 'LT', ARGV[2], ARGV[1])
if ARGV[3] == '1' then redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1]) end
return 1
