dofile(os.getenv("BENCH_LUA") .. "/common.lua")
wrk.headers["Content-Type"] = "application/scim+json; charset=utf-8"
request = function()
  local i = math.random(1, #all)
  local id = all[i]
  local name = "user" .. (i - 1) .. "@example.com"
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"' .. id .. '","userName":"' .. name ..
    '","displayName":"User ' .. (i - 1) .. ' ' .. math.random(1, 1000) .. '","externalId":"00u' .. (i - 1) ..
    '","active":true,"emails":[{"value":"' .. name .. '","type":"work","primary":true}]}'
  return wrk.format("PUT", prefix .. "/Users/" .. id, nil, body)
end
