wrk.headers["User-Agent"] = "wrk"
request = function() return wrk.format("GET", "/api/health") end
