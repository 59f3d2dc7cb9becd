-- GCRA on the server's clock. KEYS[1] bucket; ARGV[1] emission interval us, ARGV[2] period us, ARGV[3] permits
-- taken at once (all or none).
-- Returns {allowed 0/1, remaining, retry after us, reset after us}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval * tonumber(ARGV[3] or '1')
local allow_at = new_tat - period
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
local remaining = math.floor((period - (new_tat - now)) / interval)
return {1, remaining, 0, new_tat - now}
