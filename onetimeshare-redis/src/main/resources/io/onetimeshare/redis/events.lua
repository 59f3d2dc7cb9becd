-- Events for notifications (issue 22), included by the scripts that change a secret's state, so that an event is
-- recorded in the same script as the change that causes it. A subscribed secret has a notify hash <id>:n ('sub': the
-- subscription, one line per target "name letters [url secret]"; 'e': the expiry ms), removed by the script that
-- ends the secret: whoever removes it records the end, so a secret ends exactly once. Events wait in the hash
-- <id>:ev, one field "<letter>|<target>" per delivery, "due,attempt,occurred,expires,lease,lease-until" (lease '-'
-- when free), and 's', the subscription, for the targets' addresses.
local function ots_num(x)
  return string.format('%.0f', tonumber(x))
end

local function ots_record(n, ev, ty, now)
  local v = redis.call('HMGET', n, 'sub', 'e')
  if not v[1] then return 0 end
  local recorded = 0
  for line in string.gmatch(v[1], '[^\n]+') do
    local name, codes = string.match(line, '^(%S+) (%S+)')
    if name and string.find(codes, ty, 1, true) then
      local t = ots_num(now)
      if redis.call('HSETNX', ev, ty .. '|' .. name, t .. ',0,' .. t .. ',' .. ots_num(v[2]) .. ',-,0') == 1 then
        recorded = 1
      end
    end
  end
  if recorded == 1 then
    redis.call('HSETNX', ev, 's', v[1])
    redis.call('PEXPIREAT', ev, ots_num(tonumber(now) + 172800000))
  end
  return recorded
end

-- Records how a secret ended (letter ty) and forgets its subscription; 0 when it had none or it had already ended.
local function ots_end(n, ev, ty, now)
  local r = ots_record(n, ev, ty, now)
  redis.call('DEL', n)
  return r
end

-- Subscribes a secret (sub non-empty) expiring at e ms: kept two days past the expiry, for the sweep to see it end.
local function ots_subscribe(n, ev, sub, e)
  if sub == nil or sub == '' then return end
  redis.call('HSET', n, 'sub', sub, 'e', e)
  redis.call('PEXPIREAT', n, ots_num(tonumber(e) + 172800000))
end
