/**
 * The cluster's Lua scripts. Each runs atomically in Redis, so ownership, inboxes and leases change together or
 * not at all, whatever the processes do at the same moment; time is Redis's own (TIME), so the machines' clocks
 * need not agree. Key names are built inside the scripts from ARGV[1], the prefix: one Redis (or a primary with
 * replicas), not Redis Cluster, whose slots would need every key declared.
 *
 * Keys, under the prefix:
 * - `procs`: sorted set, process id → when its lease ends (ms);
 * - `owner:<chat>`: `<process id>|<fence>`, the process that handles the chat; `fence:<chat>`: the counter that
 *   makes each new owner's token larger than the last (a write with an older token is refused);
 * - `owned:<process>`: set of the chats it owns;
 * - `inbox:<process>`: stream of what it has to handle, in order: `k` = `u` (an update, JSON in `d`) or `r`
 *   (recover the chat, which a process that died or left had), `c` = chat, `o` = owner token;
 * - `seen:<update id>`: an update already taken (Telegram's re-deliveries are dropped), for an hour.
 */

const COMMON = `
local P = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function field(list, name)
  for i = 1, #list, 2 do
    if list[i] == name then return list[i + 1] end
  end
  return nil
end
-- Moves every chat and inbox entry of process 'gone' to process 'into': for each chat a new owner token and a
-- recovery entry first, then the updates 'gone' had not handled, in their order. Returns the number of chats.
local function reap(gone, into)
  local chats = redis.call('SMEMBERS', P .. 'owned:' .. gone)
  for _, chat in ipairs(chats) do
    local owner = into .. '|' .. redis.call('INCR', P .. 'fence:' .. chat)
    redis.call('SET', P .. 'owner:' .. chat, owner)
    redis.call('SADD', P .. 'owned:' .. into, chat)
    redis.call('XADD', P .. 'inbox:' .. into, '*', 'k', 'r', 'c', chat, 'o', owner)
  end
  local entries = redis.call('XRANGE', P .. 'inbox:' .. gone, '-', '+')
  for _, entry in ipairs(entries) do
    local f = entry[2]
    if field(f, 'k') == 'u' then
      local chat = field(f, 'c') or ''
      local owner = ''
      if chat ~= '' then owner = redis.call('GET', P .. 'owner:' .. chat) or '' end
      redis.call('XADD', P .. 'inbox:' .. into, '*', 'k', 'u', 'c', chat, 'o', owner, 'd', field(f, 'd'))
    end
  end
  redis.call('DEL', P .. 'inbox:' .. gone, P .. 'owned:' .. gone)
  redis.call('ZREM', P .. 'procs', gone)
  return #chats
end
`;

/** ARGV: prefix, process id, lease ms. Joins (or rejoins) the cluster. */
export const REGISTER = `${COMMON}
redis.call('ZADD', P .. 'procs', now_ms() + tonumber(ARGV[3]), ARGV[2])
return redis.call('ZCOUNT', P .. 'procs', now_ms(), '+inf')
`;

/**
 * ARGV: prefix, process id, lease ms. Extends the lease; -1 when the process is no longer a member (another one
 * took its chats: it must stop handling them). Otherwise the number of live processes.
 */
export const RENEW = `${COMMON}
if not redis.call('ZSCORE', P .. 'procs', ARGV[2]) then return -1 end
redis.call('ZADD', P .. 'procs', now_ms() + tonumber(ARGV[3]), ARGV[2])
return redis.call('ZCOUNT', P .. 'procs', now_ms(), '+inf')
`;

/**
 * ARGV: prefix, process id. Takes over the chats and inboxes of processes whose lease ended (at most 10 per call),
 * unless this process's own lease ended too. Returns {processes reaped, chats taken}.
 */
export const REAP_EXPIRED = `${COMMON}
local now = now_ms()
local mine = redis.call('ZSCORE', P .. 'procs', ARGV[2])
if not mine or tonumber(mine) <= now then return {0, 0} end
local gone = redis.call('ZRANGEBYSCORE', P .. 'procs', '-inf', now, 'LIMIT', 0, 10)
local chats = 0
for _, proc in ipairs(gone) do chats = chats + reap(proc, ARGV[2]) end
return {#gone, chats}
`;

/**
 * ARGV: prefix, process id. A graceful stop: hands every chat and what waits in the inbox to the live process
 * owning the fewest chats, and leaves. With no other process alive, the lease is ended instead (score 0), so the
 * next process to start takes everything over. Returns the process handed to, or ''.
 */
export const LEAVE = `${COMMON}
local now = now_ms()
local best, fewest = nil, nil
for _, proc in ipairs(redis.call('ZRANGEBYSCORE', P .. 'procs', now, '+inf')) do
  if proc ~= ARGV[2] then
    local n = redis.call('SCARD', P .. 'owned:' .. proc)
    if not fewest or n < fewest then best, fewest = proc, n end
  end
end
if best then
  reap(ARGV[2], best)
  return best
end
if redis.call('ZSCORE', P .. 'procs', ARGV[2]) then redis.call('ZADD', P .. 'procs', 0, ARGV[2]) end
return ''
`;

/**
 * ARGV: prefix, process id, update id, chat ('' for none), update JSON, inbox bound, seen seconds.
 * Puts an update into the inbox of the process that owns its chat; a chat with no live owner becomes this
 * process's (a dead owner's chats and inbox are taken over first, so its updates keep their place before this one).
 * Returns {'ok', target} | {'dup'} | {'busy'} | {'lost'} (this process has no lease: it must not take chats).
 */
export const ROUTE = `${COMMON}
local self, id, chat, data = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = now_ms()
if redis.call('EXISTS', P .. 'seen:' .. id) == 1 then return {'dup'} end
local mine = redis.call('ZSCORE', P .. 'procs', self)
if not mine or tonumber(mine) <= now then return {'lost'} end
local target, owner = self, ''
if chat ~= '' then
  local ownerKey = P .. 'owner:' .. chat
  owner = redis.call('GET', ownerKey)
  if owner then
    local proc = string.match(owner, '^(.*)|')
    local lease = redis.call('ZSCORE', P .. 'procs', proc)
    if lease and tonumber(lease) > now then
      target = proc
    else
      reap(proc, self)
      owner = redis.call('GET', ownerKey)
      if not owner or string.match(owner, '^(.*)|') ~= self then
        -- The chat was not in the set of the process it named (a torn state): it is this one's now.
        owner = self .. '|' .. redis.call('INCR', P .. 'fence:' .. chat)
        redis.call('SET', ownerKey, owner)
        redis.call('SADD', P .. 'owned:' .. self, chat)
        redis.call('XADD', P .. 'inbox:' .. self, '*', 'k', 'r', 'c', chat, 'o', owner)
      end
    end
  else
    owner = self .. '|' .. redis.call('INCR', P .. 'fence:' .. chat)
    redis.call('SET', ownerKey, owner)
    redis.call('SADD', P .. 'owned:' .. self, chat)
  end
end
if redis.call('XLEN', P .. 'inbox:' .. target) >= tonumber(ARGV[6]) then return {'busy'} end
redis.call('SET', P .. 'seen:' .. id, 1, 'EX', tonumber(ARGV[7]))
redis.call('XADD', P .. 'inbox:' .. target, '*', 'k', 'u', 'c', chat, 'o', owner, 'd', data)
return {'ok', target}
`;

/**
 * KEYS: the session key, the chat's owner key. ARGV: value, owner token. Writes only while the token is still the
 * chat's owner: a process that lost the chat (paused past its lease) cannot overwrite what the new owner wrote.
 */
export const FENCED_SET = `
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/** Drops the holders and waiters of slot set ARGV[2] whose lease ended (their process died or stopped asking). */
const SLOT_SWEEP = `
local function sweep(name, now)
  local held, waiting, waitLease = P .. 'slots:' .. name, P .. 'slotq:' .. name, P .. 'slotw:' .. name
  redis.call('ZREMRANGEBYSCORE', held, '-inf', now)
  for _, gone in ipairs(redis.call('ZRANGEBYSCORE', waitLease, '-inf', now)) do
    redis.call('ZREM', waiting, gone)
    redis.call('ZREM', waitLease, gone)
  end
  return held, waiting, waitLease
end
`;

/**
 * ARGV: prefix, slot set name, holder, limit, lease ms, waiter lease ms. One of `limit` slots shared by every
 * process (the generations a model host runs at once), given in the order holders first asked: a holder that asks
 * again keeps its place; holders whose lease ended, and waiters that stopped asking (their process died), are
 * dropped. 1 when it has a slot now.
 */
export const SLOT_ACQUIRE = `${COMMON}${SLOT_SWEEP}
local name, holder, limit, lease = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local waiterLease = tonumber(ARGV[6]) or lease
local now = now_ms()
local held, waiting, waitLease = sweep(name, now)
if redis.call('ZSCORE', held, holder) then
  redis.call('ZADD', held, now + lease, holder)
  return 1
end
if not redis.call('ZSCORE', waiting, holder) then
  redis.call('ZADD', waiting, redis.call('INCR', P .. 'slotseq:' .. name), holder)
end
redis.call('ZADD', waitLease, now + waiterLease, holder)
local free = limit - redis.call('ZCARD', held)
if free > 0 and redis.call('ZRANK', waiting, holder) < free then
  redis.call('ZREM', waiting, holder)
  redis.call('ZREM', waitLease, holder)
  redis.call('ZADD', held, now + lease, holder)
  return 1
end
return 0
`;

/** ARGV: prefix, slot set name, holder, lease ms. Extends held slots (XX: a slot already lost stays lost). */
export const SLOT_RENEW = `${COMMON}
local now = now_ms()
for i = 3, #ARGV - 1 do
  redis.call('ZADD', P .. 'slots:' .. ARGV[2], 'XX', now + tonumber(ARGV[#ARGV]), ARGV[i])
end
return 1
`;

/**
 * ARGV: prefix, slot set name, holder, limit. Gives a slot back, or stops waiting for one. Then the waiters within
 * reach of a free slot (the first in line, after dropping what expired) are published on `slotfree:<name>`,
 * space-separated, so exactly they ask again at once, in whichever process, instead of at their next poll.
 */
export const SLOT_RELEASE = `${COMMON}${SLOT_SWEEP}
local held, waiting, waitLease = sweep(ARGV[2], now_ms())
redis.call('ZREM', held, ARGV[3])
redis.call('ZREM', waiting, ARGV[3])
redis.call('ZREM', waitLease, ARGV[3])
local free = tonumber(ARGV[4]) - redis.call('ZCARD', held)
if free > 0 then
  local next = redis.call('ZRANGE', waiting, 0, free - 1)
  if #next > 0 then redis.call('PUBLISH', P .. 'slotfree:' .. ARGV[2], table.concat(next, ' ')) end
end
return 1
`;

/** KEYS: the counter. ARGV: window ms, limit. One more hit in a fixed window; 1 when within the limit. */
export const RATE_HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1])) end
if n <= tonumber(ARGV[2]) then return 1 end
return 0
`;
