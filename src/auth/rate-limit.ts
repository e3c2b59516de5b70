/**
 * A request budget per API key (design §6), counted by rate-limiter-flexible in this process's memory:
 * with N server workers or replicas, each one allows the configured rate, so a key's total is up to N
 * times that. Limits are per role (partner keys are stricter); 0 turns a role's limit off.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { RateLimitedError } from '../errors';
import type { Principal, Role } from './roles';

export class KeyRateLimiter {
  private readonly limiters = new Map<Role, RateLimiterMemory>();

  constructor(config: Config['rateLimit']) {
    for (const [role, points] of Object.entries(config.points) as [Role, number][]) {
      // keyPrefix keeps the roles' counters apart even though they share the process's memory.
      if (points > 0) this.limiters.set(role, new RateLimiterMemory({ points, duration: config.durationS, keyPrefix: `rl-${role}` }));
    }
  }

  /** Counts one request for the principal's key; throws RateLimitedError when its budget is spent. */
  async consume(principal: Principal): Promise<void> {
    const limiter = this.limiters.get(principal.role);
    if (!limiter) return;
    try {
      await limiter.consume(principal.keyId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new RateLimitedError(retryAfterSeconds);
    }
  }
}
