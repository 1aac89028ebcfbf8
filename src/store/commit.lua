-- Stores one batch of agmux's changes, whole or not at all (see redis.rs).
-- ARGV: prefix, instance, host, seq, epoch, batch JSON, op count, then
-- five arguments an op: tag, a, b, c, row JSON.
local p = ARGV[1]
local n = tonumber(ARGV[7])
local function arg(i, j) return ARGV[8 + i * 5 + j] end

-- Compare-and-set first: every context write must build on the version
-- stored now (or on an earlier write of this batch).
local ver, dropped = {}, {}
for i = 0, n - 1 do
  local t, a, b = arg(i, 0), arg(i, 1), arg(i, 2)
  if t == 'entry' then
    local k = a .. '\n' .. b
    local cur = ver[k]
    if cur == nil then
      cur = 0
      if not dropped[a] then
        local j = redis.call('HGET', p .. 'ctx:' .. a, b)
        if j then cur = tonumber(cjson.decode(j)['version']) end
      end
    end
    local want = tonumber(arg(i, 3))
    if cur ~= want - 1 then
      return redis.error_reply('CONFLICT ' .. cjson.encode({a, b, cur}))
    end
    ver[k] = want
  elseif t == 'claim' then
    -- Every host's running agents are in one set: the limit holds
    -- across them all, atomically.
    local max = tonumber(b)
    if redis.call('SISMEMBER', p .. 'active', a) == 0 then
      local n = redis.call('SCARD', p .. 'active')
      if n >= max then
        return redis.error_reply('LIMIT ' .. cjson.encode({max, n}))
      end
    end
  elseif t == 'dropentry' then
    ver[a .. '\n' .. b] = 0
  elseif t == 'dropgroup' then
    dropped[a] = true
    for k, _ in pairs(ver) do
      if string.sub(k, 1, #a + 1) == a .. '\n' then ver[k] = 0 end
    end
  end
end

local function each_event(last, f)
  for _, e in ipairs(redis.call('XRANGE', p .. 'events', '-', last)) do
    local fields = e[2]
    for k = 1, #fields, 2 do
      if fields[k] == 'e' then f(e[1], cjson.decode(fields[k + 1])) end
    end
  end
end

local ids = {}
for i = 0, n - 1 do
  local t, a, b, d = arg(i, 0), arg(i, 1), arg(i, 2), arg(i, 4)
  if t == 'agent' then
    redis.call('HSET', p .. 'agents', a, d)
    local status = cjson.decode(d)['status']
    if status == 'completed' or status == 'failed' or status == 'lost' then
      redis.call('SREM', p .. 'active', a)
    else
      redis.call('SADD', p .. 'active', a)
    end
  elseif t == 'forget' then
    redis.call('HDEL', p .. 'agents', a)
    redis.call('SREM', p .. 'active', a)
  elseif t == 'group' then
    redis.call('HSET', p .. 'groups', a, d)
  elseif t == 'dropgroup' then
    redis.call('HDEL', p .. 'groups', a)
    redis.call('DEL', p .. 'ctx:' .. a)
  elseif t == 'entry' then
    redis.call('HSET', p .. 'ctx:' .. a, b, d)
  elseif t == 'dropentry' then
    redis.call('HDEL', p .. 'ctx:' .. a, b)
  elseif t == 'type' then
    redis.call('HSET', p .. 'types', a, d)
  elseif t == 'message' then
    redis.call('HSET', p .. 'messages', a, d)
  elseif t == 'dropmessage' then
    redis.call('HDEL', p .. 'messages', a)
  elseif t == 'event' then
    -- One counter for every host: ids grow across the whole space. The
    -- row comes as {"id":0,...}; the id given replaces the 0.
    local id = redis.call('INCR', p .. 'event-seq')
    redis.call('XADD', p .. 'events', id .. '-0', 'e', '{"id":' .. id .. string.sub(d, 8))
    ids[#ids + 1] = id
  elseif t == 'drophistory' then
    local all = redis.call('HGETALL', p .. 'messages')
    for k = 1, #all, 2 do
      local m = cjson.decode(all[k + 1])
      if m['sender'] == a or m['recipient'] == a then
        redis.call('HDEL', p .. 'messages', all[k])
      end
    end
    each_event('+', function(id, e)
      if e['agent'] == a then redis.call('XDEL', p .. 'events', id) end
    end)
  elseif t == 'dropevents' then
    local cut = tonumber(a)
    if cut > 1 then
      each_event(tostring(cut - 1), function(id, e)
        if e['agent'] == '' then redis.call('XDEL', p .. 'events', id) end
      end)
    end
  end
end

return redis.call('XADD', p .. 'ops', 'MAXLEN', '~', '100000', '*',
  'i', ARGV[2], 'h', ARGV[3], 's', ARGV[4], 'p', ARGV[5], 'b', ARGV[6],
  'ids', table.concat(ids, ','))
