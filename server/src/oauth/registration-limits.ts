/**
 * How many clients may register (RFC 7591 registration is open to anyone, so the bounds are ours to set):
 *
 * - per address, a bucket of 10 registrations that refills one every 6 minutes (IPv6 addresses count by
 *   their /64, which one home or one attacker holds whole); every well-formed registration counts, also
 *   one the cap refuses, and one that is not does not;
 * - in all, at most 200 registrations that never completed a sign-in. They expire a day after they were
 *   made; at the cap the oldest gives way to a new one once it is 30 minutes old (time enough to finish
 *   signing in), and until then a new one is refused. A client that signed in is never counted, expired or
 *   given way: its grants keep working whatever is registered around it.
 *
 * Each refusal is a 429 with `Retry-After` and the OAuth error `too_many_requests` (the code the MCP SDKs'
 * own authorization servers answer with), whose description says which limit it hit.
 */
import { isIP } from 'node:net';
import { OAuthError } from './errors.js';
import type { OAuthStore } from './store.js';

export interface RegistrationLimitsOptions {
  /** Registrations an address may make at once (the bucket's size). */
  perAddress: number;
  /** How often the bucket gains one registration back. */
  refillMs: number;
  /** Registrations that never completed a sign-in, at most, from all addresses. */
  maxUnused: number;
  /** How long a registration that never completed a sign-in is kept. */
  unusedTtlMs: number;
  /** How long a new registration is safe from giving way to a newer one at the cap. */
  protectedMs: number;
  /** Addresses remembered at most (the longest idle are forgotten first). */
  maxAddresses: number;
}

export const REGISTRATION_LIMITS: RegistrationLimitsOptions = {
  perAddress: 10,
  refillMs: 6 * 60_000,
  maxUnused: 200,
  unusedTtlMs: 24 * 60 * 60_000,
  protectedMs: 30 * 60_000,
  maxAddresses: 10_000,
};

/** An address as the rate counts it: IPv4 (also IPv4-mapped IPv6) whole, other IPv6 by its /64. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const front = groups(head);
  const back = groups(tail);
  const full =
    tail === undefined
      ? front
      : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${full
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

export class RegistrationLimits {
  private readonly options: RegistrationLimitsOptions;
  /** Per address key: registrations left, as of `at` (refills are computed, not scheduled). */
  private readonly buckets = new Map<string, { left: number; at: number }>();

  constructor(
    private readonly store: Pick<OAuthStore, 'removeUnusedClients' | 'unusedClients' | 'removeClient'>,
    options: Partial<RegistrationLimitsOptions> = {}
  ) {
    this.options = { ...REGISTRATION_LIMITS, ...options };
  }

  /** Refuses an address whose bucket is empty (429, with when the next registration is allowed). */
  admit(address: string, now: number): void {
    const bucket = this.bucket(addressKey(address), now);
    if (bucket.left >= 1) return;
    const wait = (1 - bucket.left) * this.options.refillMs;
    throw new OAuthError(
      'too_many_requests',
      `too many registrations from this address; try again in ${seconds(wait)} s`,
      429,
      { 'retry-after': seconds(wait) }
    );
  }

  /**
   * Room for one more registration that has not signed in: the expired ones are deleted, and at the cap the
   * oldest gives way if it is past its protection; otherwise a 429 that says the cap was hit.
   */
  makeRoom(now: number): void {
    const { maxUnused, unusedTtlMs, protectedMs } = this.options;
    this.store.removeUnusedClients(now - unusedTtlMs);
    const unused = this.store.unusedClients();
    if (unused.count < maxUnused || !unused.oldest) return;
    const safeFor = unused.oldest.created + protectedMs - now;
    if (safeFor <= 0) {
      this.store.removeClient(unused.oldest.clientId);
      return;
    }
    throw new OAuthError(
      'too_many_requests',
      `too many clients are registered and have not signed in yet (${maxUnused}); try again in ${seconds(safeFor)} s`,
      429,
      { 'retry-after': seconds(safeFor) }
    );
  }

  /** A well-formed registration came from this address: one fewer left. */
  charge(address: string, now: number): void {
    const key = addressKey(address);
    const bucket = this.bucket(key, now);
    bucket.left -= 1;
    // Most recently used last: Map order is the order addresses are forgotten in.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.options.maxAddresses) this.buckets.delete(this.buckets.keys().next().value!);
  }

  /** Whether a registration that never signed in, made at `created`, has expired by `now`. */
  expired(created: number, now: number): boolean {
    return created <= now - this.options.unusedTtlMs;
  }

  private bucket(key: string, now: number): { left: number; at: number } {
    const { perAddress, refillMs } = this.options;
    const found = this.buckets.get(key);
    if (!found) return { left: perAddress, at: now };
    found.left = Math.min(perAddress, found.left + Math.max(0, now - found.at) / refillMs);
    found.at = now;
    if (found.left >= perAddress) this.buckets.delete(key);
    return found;
  }
}
