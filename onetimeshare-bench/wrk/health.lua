-- wrk on GET /health: the trivial-request ceiling of the same server, same machine, same run.
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format('{"requests":%d,"seconds":%.2f,"rps":%.0f,"p50_us":%d,"p95_us":%d,"p99_us":%d}\n',
    summary.requests, secs, summary.requests / secs, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
