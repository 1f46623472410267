dofile(os.getenv("BENCH_LUA") .. "/common.lua")
wrk.headers["Content-Type"] = "application/scim+json; charset=utf-8"
local tag = nil
request = function()
  if tag == nil then tag = string.format("%08x", math.random(0, 0x7fffffff)) end
  counter = counter + 1
  local name = "new-" .. tag .. "-" .. counter .. "@example.com"
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name ..
    '","name":{"givenName":"New","familyName":"User"},"emails":[{"primary":true,"value":"' .. name ..
    '","type":"work"}],"displayName":"New User","externalId":"00n' .. tag .. counter .. '","active":true}'
  return wrk.format("POST", prefix .. "/Users", nil, body)
end
