-- wrk script of the bench: sends the header a TLS-terminating proxy adds (the application runs with
-- DJANGO_DEBUG=0, which redirects plain HTTP), and prints the figures as one JSON line at the end.
wrk.headers["X-Forwarded-Proto"] = "https"

function done(summary, latency, requests)
  io.write(string.format(
    "BENCH_JSON {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, " ..
    "\"errors_connect\": %d, \"errors_read\": %d, \"errors_write\": %d, " ..
    "\"errors_status\": %d, \"errors_timeout\": %d, " ..
    "\"latency_mean_us\": %.1f, \"latency_p50_us\": %d, \"latency_p90_us\": %d, " ..
    "\"latency_p99_us\": %d, \"latency_max_us\": %d}\n",
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
