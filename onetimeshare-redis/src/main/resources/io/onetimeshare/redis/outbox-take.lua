--#include events.lua
-- KEYS[1] head, KEYS[2] trace, KEYS[3] notify, KEYS[4] events; ARGV: now ms, lease, lease ms, max.
-- One secret's turn in the outbox sweep: first records an end nobody recorded (its expiry, which no request saw; an
-- opening whose claimer vanished before purging), then leases up to max deliveries due now. Returns {next ms to look
-- again (-1: nothing left), subscription, {field, "attempt,occurred,expires", ...}}.
local now = tonumber(ARGV[1])
local nxt = -1
local function sooner(t)
  if nxt < 0 or t < nxt then nxt = t end
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  local h = redis.call('HMGET', KEYS[1], 'e', 'c')
  local e = tonumber(redis.call('HGET', KEYS[3], 'e'))
  if h[2] then
    sooner(now + 5000) -- being opened: the claim ends soon (purge, release, or its lease)
  elseif h[1] and tonumber(h[1]) > now then
    sooner(tonumber(h[1])) -- still waiting: look again at its expiry
  else
    local s = redis.call('HGET', KEYS[2], 's')
    if s == 'o' or s == 'd' or s == 'b' then
      ots_end(KEYS[3], KEYS[4], s, ARGV[1])
    elseif h[1] or e <= now then
      ots_end(KEYS[3], KEYS[4], 'x', ARGV[1])
    else
      sooner(e)
    end
  end
end
local out = {}
local taken = 0
local max = tonumber(ARGV[4])
local fields = redis.call('HGETALL', KEYS[4])
for i = 1, #fields, 2 do
  local f = fields[i]
  if f ~= 's' then
    local due, att, occ, exp, lease, till = string.match(fields[i + 1], '^([^,]+),([^,]+),([^,]+),([^,]+),([^,]+),([^,]+)$')
    due = tonumber(due)
    till = tonumber(till)
    local free = lease == '-' or till <= now
    if free and due <= now and taken < max then
      local lu = now + tonumber(ARGV[3])
      redis.call('HSET', KEYS[4], f, ots_num(due) .. ',' .. att .. ',' .. occ .. ',' .. exp .. ',' .. ARGV[2] .. ','
        .. ots_num(lu))
      out[#out + 1] = f
      out[#out + 1] = att .. ',' .. occ .. ',' .. exp
      taken = taken + 1
      sooner(lu)
    elseif free then
      sooner(math.max(due, now))
    else
      sooner(till)
    end
  end
end
return {nxt, redis.call('HGET', KEYS[4], 's') or '', out}
