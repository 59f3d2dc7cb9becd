--#include parts-ledger.lua
-- KEYS[1] pending upload; ARGV: the body store's write id, segments per part. Names the write the upload's segments
-- move to, unless one is named already. Returns the ledger afterwards (ots_ledger), nil without such an upload.
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if not redis.call('HGET', KEYS[1], 'w') then
  redis.call('HSET', KEYS[1], 'w', ARGV[1], 'k', ARGV[2], 'm', 0, 'pn', 0)
end
return ots_ledger(KEYS[1])
