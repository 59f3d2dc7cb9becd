-- wrk: creates only (a multipart "file" of OTS_FILE_BYTES, 4 KiB by default), never opened: what a create costs
-- (docs/capacity.md). One of 100 clients per request through X-Forwarded-For (start the server with
-- --trusted-proxies 127.0.0.1). done() prints one JSON line as flow.lua does.
local boundary = "otsbench"
local size = tonumber(os.getenv("OTS_FILE_BYTES") or "4096")
local body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.bin\"\r\n"
  .. "Content-Type: application/octet-stream\r\n\r\n" .. string.rep("x", size) .. "\r\n--" .. boundary .. "--\r\n"
local n = 0
local bad = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  n = n + 1
  return wrk.format("POST", "/api/secrets", { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
    ["X-Forwarded-For"] = "10.0." .. (n % 10) .. "." .. (n % 100) }, body)
end

function response(status, headers, resp)
  if status ~= 201 then bad = bad + 1 end
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
