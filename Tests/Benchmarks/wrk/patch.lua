dofile(os.getenv("BENCH_LUA") .. "/common.lua")
wrk.headers["Content-Type"] = "application/scim+json; charset=utf-8"
request = function()
  counter = counter + 1
  local id = outside[math.random(1, #outside)]
  local op
  if counter % 2 == 1 then
    op = '{"op":"add","path":"members","value":[{"value":"' .. id .. '"}]}'
  else
    op = '{"op":"remove","path":"members[value eq \\"' .. id .. '\\"]"}'
  end
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[' .. op .. ']}'
  return wrk.format("PATCH", prefix .. "/Groups/" .. group, nil, body)
end
