-- Rate budgets charged in the same script as the operation they guard (issue 25: one round trip per request).
-- The guarded script's own KEYS and ARGV come first; then the budgets: KEYS[#KEYS - nb + 1 ..] are GCRA buckets and
-- the last 3 * nb ARGV are, per bucket, its emission interval us, period us and permits taken, where nb is the last
-- ARGV of all (the number of budgets). GCRA as in gcra.lua, on the server's clock, all or none: the operation runs
-- and every bucket is charged only if every bucket admits. A decision is {allowed 0/1, remaining, retry after us,
-- reset after us}.
local function charge()
  local nb = tonumber(ARGV[#ARGV])
  local first_key = #KEYS - nb
  local first_arg = #ARGV - 1 - 3 * nb
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local decisions, updates, refused = {}, {}, false
  for i = 1, nb do
    local key = KEYS[first_key + i]
    local interval = tonumber(ARGV[first_arg + 3 * i - 2])
    local period = tonumber(ARGV[first_arg + 3 * i - 1])
    local permits = tonumber(ARGV[first_arg + 3 * i])
    local tat = tonumber(redis.call('GET', key) or now)
    if tat < now then tat = now end
    local new_tat = tat + interval * permits
    local allow_at = new_tat - period
    if now < allow_at then
      decisions[i] = {0, 0, allow_at - now, tat - now}
      refused = true
    else
      decisions[i] = {1, math.floor((period - (new_tat - now)) / interval), 0, new_tat - now}
      updates[i] = new_tat
    end
  end
  if not refused then
    for i = 1, nb do
      redis.call('SET', KEYS[first_key + i], string.format('%.0f', updates[i]), 'PX',
        math.ceil((updates[i] - now) / 1000))
    end
  end
  return refused, decisions
end
