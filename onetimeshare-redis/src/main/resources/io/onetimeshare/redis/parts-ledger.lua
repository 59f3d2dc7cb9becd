-- Shared by the parts scripts (issue 37): an unfinished upload's ledger of parts, read from its hash KEYS[1] as
-- {write id or '', segments per part, segments moved, part names...}; nil when there is no such upload.
local function ots_ledger(upload)
  local v = redis.call('HMGET', upload, 'e', 'w', 'k', 'm', 'pn')
  if not v[1] then return nil end
  local out = {v[2] or '', v[3] or '0', v[4] or '0'}
  for p = 1, tonumber(v[5] or '0') do out[#out + 1] = redis.call('HGET', upload, 'p' .. p) end
  return out
end
