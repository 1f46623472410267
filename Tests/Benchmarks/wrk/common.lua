local ids_file = os.getenv("BENCH_IDS")
group, outside, all = nil, {}, {}
local section = 1
for line in io.lines(ids_file) do
  if group == nil then group = line
  elseif line == "--" then section = 2
  elseif section == 1 then table.insert(outside, line)
  else table.insert(all, line) end
end
token = os.getenv("BENCH_TOKEN")
prefix = os.getenv("BENCH_PREFIX")
users = tonumber(os.getenv("BENCH_USERS"))
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/scim+json"
wrk.headers["User-Agent"] = "Okta SCIM Client 1.0.0"
counter = 0
function init(args) math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end
