# Shared by ingest.sh and profile.sh (source it after bench_start_node): the ~200-byte record
# and the wrk scripts $work/single.lua (one record per POST over 16 channels) and
# $work/batch.lua (NDJSON batches of 1,000 over 16 channels).
record='{"type":"reading","payload":{"site":"north","sensor":"s-0042","v":21.5,"unit":"C","pad":"'$(printf 'x%.0s' $(seq 1 96))'"}}'
echo "record size: ${#record} bytes"
cat > "$work/single.lua" <<LUA
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "/v1/channels/bench-" .. (counter % 16) .. "/records",
    {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json"}, '$record')
end
LUA
for _ in $(seq 1 1000); do echo "$record"; done > "$work/batch.ndjson"
cat > "$work/batch.lua" <<LUA
local f = io.open("$work/batch.ndjson", "rb"); local body = f:read("*a"); f:close()
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "/v1/channels/batch-" .. (counter % 16) .. "/records",
    {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/x-ndjson"}, body)
end
LUA
