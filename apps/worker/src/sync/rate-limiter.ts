import type { Redis, Cluster } from 'ioredis';

/*
 * A per-connection rate limit shared by every worker process, kept in Redis.
 *
 * Why by hand: BullMQ's limiter (and group limits) apply to a whole queue, not to one connection
 * among thousands on the same queue, and rate-limiter-flexible is not a dependency of this repo.
 * The algorithm is GCRA (a token bucket stored as one timestamp), in a Lua script so the read and
 * the write are one atomic step, with Redis' own clock so processes on different hosts agree.
 *
 * It reserves rather than refuses: each caller gets the moment it may send and sleeps until
 * then, so callers queue fairly at the rate instead of polling. `pause` pushes the bucket into
 * the future when a platform answers 429 (Retry-After) or THROTTLED, so every process backs off.
 */

// Times are microseconds; values are written with %.0f because Lua's default number format
// (%.14g) would round a microsecond timestamp.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
local nextTat = tat + interval * cost
redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', math.ceil((nextTat - now) / 1000) + 1000)
return math.floor(wait / 1000)
`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untilAt = now + tonumber(ARGV[1]) * 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < untilAt then
  redis.call('SET', KEYS[1], string.format('%.0f', untilAt), 'PX', tonumber(ARGV[1]) + 1000)
end
return 0
`;

export type RedisLike = Pick<Redis | Cluster, 'eval'>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisRateLimiter {
  constructor(
    private readonly redis: () => Promise<RedisLike>,
    private readonly prefix: string,
  ) {}

  private key(name: string) {
    return `${this.prefix}:rate-limit:${name}`;
  }

  /** Milliseconds the caller must wait before sending `cost` requests at `perSecond`; reserves them. */
  async reserve(name: string, perSecond: number, cost = 1, burst = 1): Promise<number> {
    const intervalUs = 1_000_000 / perSecond;
    const toleranceUs = intervalUs * Math.max(0, burst - 1);
    const redis = await this.redis();
    const wait = await redis.eval(RESERVE, 1, this.key(name), String(intervalUs), String(toleranceUs), String(cost));
    return Number(wait);
  }

  /** Waits for a slot at `perSecond` for `cost` requests; up to `burst` may go at once. */
  async acquire(name: string, perSecond: number, cost = 1, burst = 1): Promise<void> {
    const wait = await this.reserve(name, perSecond, cost, burst);
    if (wait > 0) await sleep(wait);
  }

  /** Nobody sends on `name` for `ms` (a platform's Retry-After), in every process. */
  async pause(name: string, ms: number): Promise<void> {
    const redis = await this.redis();
    await redis.eval(PAUSE, 1, this.key(name), String(Math.max(0, Math.ceil(ms))));
  }
}
