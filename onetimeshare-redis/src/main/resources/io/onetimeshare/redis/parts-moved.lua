--#include parts-ledger.lua
-- KEYS[1] pending upload, KEYS[2..] the chunk keys of the segments the part holds that are still stored; ARGV: part
-- number, its name, the first segment after it. Records the part and drops its segments only when it is the next
-- part (two instances may move the same part; the first to record it wins, the other's bytes were the same).
-- Returns the ledger afterwards (ots_ledger), nil without such an upload.
local v = redis.call('HMGET', KEYS[1], 'e', 'w', 'pn')
if not v[1] then return nil end
if v[2] and tonumber(v[3]) + 1 == tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'p' .. ARGV[1], ARGV[2], 'pn', ARGV[1], 'm', ARGV[3])
  for k = 2, #KEYS do redis.call('DEL', KEYS[k]) end
end
return ots_ledger(KEYS[1])
