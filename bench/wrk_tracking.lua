-- wrk script: GET /api/v1/public/dossiers/<code> for random codes read from bench/var codes file,
-- then the bench's JSON report (wrk_report.lua, loaded from the directory wrk runs in).
dofile("wrk_report.lua")

local codes = {}

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then codes[#codes + 1] = line end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", "/api/v1/public/dossiers/" .. codes[math.random(#codes)])
end
