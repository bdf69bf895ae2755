/**
 * Limits failed token validations per client address, before they reach Home Assistant: HA counts every
 * failed login against the add-on's own address (notifications, and bans when IP banning is on), so
 * someone else's bad tokens must never reach it in numbers. A global ceiling also holds when many
 * addresses fail at once. Pure: the caller passes the time.
 */
export interface FailureLimiterOptions {
  /** Failures allowed per address within the window. */
  perAddress?: number;
  /** Failures allowed from all addresses together within the window. */
  total?: number;
  windowMs?: number;
  /** Addresses remembered at most (the oldest are forgotten first). */
  maxAddresses?: number;
}

export class FailureLimiter {
  private readonly perAddress: number;
  private readonly total: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;
  private readonly failures = new Map<string, number[]>();
  private all: number[] = [];
  /** Validations on their way to HA: each may still fail, so each holds a place in the budget. */
  private readonly pending = new Map<string, number>();
  private pendingTotal = 0;

  constructor(options: FailureLimiterOptions = {}) {
    this.perAddress = options.perAddress ?? 5;
    this.total = options.total ?? 30;
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  private recent(times: number[], now: number): number[] {
    return times.filter((t) => now - t < this.windowMs);
  }

  /**
   * Whether a validation for this address may go to Home Assistant now. Validations still under way count
   * as failures until they end, so a burst of concurrent bad tokens cannot slip past the limit together.
   */
  allows(address: string, now = Date.now()): boolean {
    this.all = this.recent(this.all, now);
    if (this.all.length + this.pendingTotal >= this.total) return false;
    const pending = this.pending.get(address) ?? 0;
    const times = this.failures.get(address);
    if (!times) return pending < this.perAddress;
    const recent = this.recent(times, now);
    if (recent.length === 0) this.failures.delete(address);
    else this.failures.set(address, recent);
    return recent.length + pending < this.perAddress;
  }

  /** A validation for this address is on its way to HA (after `allows`); `end` it when HA has answered. */
  begin(address: string): void {
    this.pending.set(address, (this.pending.get(address) ?? 0) + 1);
    this.pendingTotal++;
  }

  /** The validation `begin` announced has ended; `failed` when HA refused the token. */
  end(address: string, failed: boolean, now = Date.now()): void {
    const left = (this.pending.get(address) ?? 1) - 1;
    if (left > 0) this.pending.set(address, left);
    else this.pending.delete(address);
    this.pendingTotal = Math.max(0, this.pendingTotal - 1);
    if (failed) this.recordFailure(address, now);
  }

  recordFailure(address: string, now = Date.now()): void {
    this.all.push(now);
    const times = this.recent(this.failures.get(address) ?? [], now);
    times.push(now);
    this.failures.delete(address); // re-insert: Map order is the eviction order
    this.failures.set(address, times);
    if (this.failures.size > this.maxAddresses) {
      this.failures.delete(this.failures.keys().next().value!);
    }
  }

  /**
   * Seconds until this address may try again (for Retry-After): until enough of its own failures, and of
   * everyone's when the ceiling over all is what blocks it, have left the window. At least one second;
   * validations still under way end within seconds, so they add nothing.
   */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const own = this.recent(this.failures.get(address) ?? [], now).sort((a, b) => a - b);
    const all = this.recent(this.all, now).sort((a, b) => a - b);
    const ownExcess = own.length + (this.pending.get(address) ?? 0) - this.perAddress + 1;
    const allExcess = all.length + this.pendingTotal - this.total + 1;
    const wait = Math.max(this.untilGone(own, ownExcess, now), this.untilGone(all, allExcess, now));
    return Math.max(1, Math.ceil(wait / 1000));
  }

  /** Milliseconds until the oldest `count` of these failures (sorted, oldest first) have left the window. */
  private untilGone(times: number[], count: number, now: number): number {
    const index = Math.min(count, times.length) - 1;
    return index < 0 ? 0 : times[index]! + this.windowMs - now;
  }
}
