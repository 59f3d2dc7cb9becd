-- KEYS[1] the outbox index (member: secret id, score: when to look at it next); ARGV: id, the score the caller saw,
-- the next score (-1: nothing left). Moves the entry only if nobody moved it since (a new event lowers it to now).
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not s or tonumber(s) ~= tonumber(ARGV[2]) then return 0 end
if tonumber(ARGV[3]) < 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
end
return 1
