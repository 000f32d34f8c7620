-- The api benchmark's load for wrk: each thread has one connection and one client's invoice, and places a hold, then
-- captures it with the id the hold's answer gave, each request with an Idempotency-Key of its own, as a merchant's
-- backend would. wrk keeps one Lua state per thread, so with as many threads as connections (-t N -c N) each
-- state follows exactly one connection's hold-then-capture sequence.
--
-- Arguments after "--": the API key, a prefix for the idempotency keys, then one invoice id per thread.
-- done() prints one line for ApiBenchmark to read:
--   KOPEK-PAIRS pairs=<n> seconds=<s> p50_us=<n> p99_us=<n> hold_p50_us=<n> errors=<n> first_error=<text>
-- Latencies are of whole pairs, from the hold's request to the capture's answer (wrk's own latencies are per request).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } kopek_timespec;
int clock_gettime(int clock_id, kopek_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local now_ts = ffi.new("kopek_timespec")

local function micros()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now_ts)
  return tonumber(now_ts.tv_sec) * 1000000 + tonumber(now_ts.tv_nsec) / 1000
end

local threads = {}
local next_client = 0

function setup(thread)
  thread:set("client", next_client)
  next_client = next_client + 1
  table.insert(threads, thread)
end

function init(args)
  local invoice = args[3 + client]
  if invoice == nil then
    error("api-pair.lua: no invoice for thread " .. client .. "; pass one per thread after the key and prefix")
  end
  authorization = "Bearer " .. args[1]
  keys = args[2] .. client .. "-"
  hold_body = '{"invoice_id":' .. invoice .. ',"amount":{"amount":10000,"currency":"RUB"}}'
  sent = 0
  hold_id = nil
  pair_started = 0
  hold_answered = 0
  pair_latencies = {}
  hold_latencies = {}
  errors = 0
  first_error = ""
end

function request()
  sent = sent + 1
  local headers = {
    ["Authorization"] = authorization,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = keys .. sent,
  }
  if hold_id == nil then
    pair_started = micros()
    return wrk.format("POST", "/api/v1/holds", headers, hold_body)
  end
  return wrk.format("POST", "/api/v1/holds/" .. hold_id .. "/capture", headers, "{}")
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    errors = errors + 1
    if first_error == "" then
      first_error = (hold_id == nil and "hold" or "capture") .. " -> " .. status .. " " .. string.sub(body or "", 1, 300)
    end
    hold_id = nil
    return
  end
  if hold_id == nil then
    hold_id = string.match(body, '"id":(%d+)')
    if hold_id == nil then
      errors = errors + 1
      if first_error == "" then
        first_error = "no id in the hold's answer: " .. string.sub(body, 1, 300)
      end
      return
    end
    hold_answered = micros()
    hold_latencies[#hold_latencies + 1] = hold_answered - pair_started
  else
    hold_id = nil
    pair_latencies[#pair_latencies + 1] = micros() - pair_started
  end
end

local function percentile(sorted, p)
  if #sorted == 0 then
    return 0
  end
  local rank = math.ceil(p / 100 * #sorted)
  return sorted[math.max(1, math.min(rank, #sorted))]
end

function done(summary, latency, requests)
  local pairs_all, holds_all, errors_all, first = {}, {}, 0, ""
  for _, thread in ipairs(threads) do
    for _, v in ipairs(thread:get("pair_latencies")) do
      pairs_all[#pairs_all + 1] = v
    end
    for _, v in ipairs(thread:get("hold_latencies")) do
      holds_all[#holds_all + 1] = v
    end
    errors_all = errors_all + thread:get("errors")
    if first == "" then
      first = thread:get("first_error")
    end
  end
  -- wrk's own count of socket errors and non-2xx answers (the script's count misses a connection that broke)
  errors_all = math.max(errors_all, summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout)
  table.sort(pairs_all)
  table.sort(holds_all)
  io.write(string.format("KOPEK-PAIRS pairs=%d seconds=%.6f p50_us=%d p99_us=%d hold_p50_us=%d errors=%d first_error=%s\n",
    #pairs_all, summary.duration / 1e6, percentile(pairs_all, 50), percentile(pairs_all, 99),
    percentile(holds_all, 50), errors_all, (string.gsub(first, "[\r\n]", " "))))
end
