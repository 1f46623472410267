dofile(os.getenv("BENCH_LUA") .. "/common.lua")
request = function()
  local n = math.random(0, users - 1)
  return wrk.format("GET", prefix .. "/Users?filter=userName%20eq%20%22user" .. n .. "%40example.com%22&startIndex=1&count=100")
end
