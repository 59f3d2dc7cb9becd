-- wrk flow for the closed-loop figures of docs/benchmarks.md: each connection creates a secret as a multipart "file"
-- (4 KiB, or OTS_FILE_BYTES) and opens it once with a form-encoded key (the subset the original stack speaks too),
-- alternately; every request comes from one of 100 clients through X-Forwarded-For (start
-- the server with --trusted-proxies 127.0.0.1 so the rate limiter keys each client apart). done() prints one JSON
-- line: requests, seconds, rps, p50/p95/p99 in microseconds, and non-2xx answers (a 404 or 403 would be a bug).
local boundary = "otsbench"
local size = tonumber(os.getenv("OTS_FILE_BYTES") or "4096")
local body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.bin\"\r\n"
  .. "Content-Type: application/octet-stream\r\n\r\n" .. string.rep("x", size) .. "\r\n--" .. boundary .. "--\r\n"
local pending = {}
local n = 0
local bad = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  n = n + 1
  local client = "10.0." .. (n % 10) .. "." .. (n % 100)
  local s = table.remove(pending)
  if s then
    return wrk.format("POST", "/api/secrets/" .. s.id .. "/open",
      { ["Content-Type"] = "application/x-www-form-urlencoded", ["X-Forwarded-For"] = client }, "key=" .. s.key)
  end
  return wrk.format("POST", "/api/secrets",
    { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary, ["X-Forwarded-For"] = client }, body)
end

function response(status, headers, resp)
  if status == 201 then
    local id = resp:match('"id"%s*:%s*"([^"]+)"')
    local key = resp:match('"key"%s*:%s*"([^"]+)"')
    if id then table.insert(pending, { id = id, key = key }) end
  elseif status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local badTotal = 0
  for _, t in ipairs(threads) do badTotal = badTotal + (t:get("bad") or 0) end
  local secs = summary.duration / 1e6
  io.write(string.format('{"requests":%d,"seconds":%.2f,"rps":%.0f,"p50_us":%d,"p95_us":%d,"p99_us":%d,'
    .. '"non2xx":%d,"socket_errors":%d}\n', summary.requests, secs, summary.requests / secs,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), badTotal,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
