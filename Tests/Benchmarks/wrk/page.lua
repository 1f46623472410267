dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local start = math.max(1, users - 9999)
request = function() return wrk.format("GET", prefix .. "/Users?startIndex=" .. start .. "&count=100") end
