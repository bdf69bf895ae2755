/**
 * Pins the failed-validation limiter (server/src/ha/failure-limiter.ts) on an injected clock: its defaults,
 * the exact edges of the window, the per-address and global ceilings with validations still under way,
 * which addresses are forgotten first, and the Retry-After it computes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureLimiter } from '../../server/src/ha/failure-limiter.js';

const fail = (limiter: FailureLimiter, address: string, times: number, now = 0) => {
  for (let i = 0; i < times; i++) limiter.recordFailure(address, now);
};

describe('failure limiter defaults', () => {
  it('allows five failures per address', () => {
    const limiter = new FailureLimiter();
    fail(limiter, 'a', 4);
    assert.equal(limiter.allows('a', 0), true);
    fail(limiter, 'a', 1);
    assert.equal(limiter.allows('a', 0), false);
  });

  it('remembers failures for ten minutes, to the millisecond', () => {
    const limiter = new FailureLimiter();
    fail(limiter, 'a', 5);
    assert.equal(limiter.allows('a', 599_999), false);
    assert.equal(limiter.allows('a', 600_000), true);
  });

  it('allows thirty failures from all addresses together', () => {
    const limiter = new FailureLimiter();
    for (let i = 0; i < 29; i++) limiter.recordFailure(`10.0.0.${i}`, 0);
    assert.equal(limiter.allows('fresh', 0), true);
    limiter.recordFailure('10.0.1.1', 0);
    assert.equal(limiter.allows('fresh', 0), false);
  });

  it('remembers ten thousand addresses, forgetting the oldest first', () => {
    const limiter = new FailureLimiter({ perAddress: 1, total: Number.MAX_SAFE_INTEGER });
    limiter.recordFailure('first', 0);
    for (let i = 0; i < 9_999; i++) limiter.recordFailure(`a${i}`, 0);
    assert.equal(limiter.allows('first', 0), false);
    limiter.recordFailure('one-more', 0);
    assert.equal(limiter.allows('first', 0), true);
    assert.equal(limiter.allows('a0', 0), false);
  });
});

describe('failure limiter per address', () => {
  it('counts a failure for exactly the window, and keeps counting it on every check', () => {
    const limiter = new FailureLimiter({ perAddress: 1, windowMs: 1_000 });
    limiter.recordFailure('a', 0);
    assert.equal(limiter.allows('a', 10), false);
    assert.equal(limiter.allows('a', 999), false);
    assert.equal(limiter.allows('a', 1_000), true);
    assert.equal(limiter.allows('a', 1_000), true);
    assert.equal(limiter.allows('b', 10), true);
  });

  it('counts only the failures still in the window', () => {
    const limiter = new FailureLimiter({ perAddress: 2, windowMs: 1_000 });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', 500);
    assert.equal(limiter.allows('a', 999), false);
    assert.equal(limiter.allows('a', 1_000), true);
    limiter.recordFailure('a', 1_200);
    assert.equal(limiter.allows('a', 1_300), false);
  });

  it('counts validations under way as failures until they end', () => {
    const limiter = new FailureLimiter({ perAddress: 2 });
    limiter.begin('a');
    assert.equal(limiter.allows('a', 0), true);
    limiter.begin('a');
    assert.equal(limiter.allows('a', 0), false);
    assert.equal(limiter.allows('b', 0), true);
    limiter.end('a', false, 0);
    assert.equal(limiter.allows('a', 0), true);
  });

  it('adds validations under way to the failures of an address', () => {
    const limiter = new FailureLimiter({ perAddress: 2 });
    limiter.recordFailure('a', 0);
    assert.equal(limiter.allows('a', 0), true);
    limiter.begin('a');
    assert.equal(limiter.allows('a', 0), false);
    limiter.end('a', false, 0);
    assert.equal(limiter.allows('a', 0), true);
  });

  it('gives back one place per ended validation of the same address', () => {
    const limiter = new FailureLimiter({ perAddress: 1 });
    limiter.begin('a');
    limiter.begin('a');
    limiter.end('a', false, 0);
    assert.equal(limiter.allows('a', 0), false);
    limiter.end('a', false, 0);
    assert.equal(limiter.allows('a', 0), true);
  });

  it('records a failure when a validation ends refused, and none when it ends accepted', () => {
    const limiter = new FailureLimiter({ perAddress: 1 });
    limiter.begin('a');
    limiter.end('a', false, 0);
    assert.equal(limiter.allows('a', 0), true);
    limiter.begin('a');
    limiter.end('a', true, 0);
    assert.equal(limiter.allows('a', 0), false);
  });

  it('ignores an end without a begin', () => {
    const limiter = new FailureLimiter({ perAddress: 1, total: 2 });
    limiter.end('x', false, 0);
    assert.equal(limiter.allows('x', 0), true);
    limiter.begin('x');
    assert.equal(limiter.allows('x', 0), false);
    limiter.end('x', false, 0);
    // The global count of validations under way never goes below zero.
    limiter.end('y', false, 0);
    limiter.recordFailure('p', 0);
    limiter.recordFailure('q', 0);
    assert.equal(limiter.allows('z', 0), false);
  });
});

describe('failure limiter over all addresses', () => {
  it('refuses once the failures of all addresses reach the ceiling, and not before', () => {
    const limiter = new FailureLimiter({ perAddress: 100, total: 3, windowMs: 1_000 });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('b', 0);
    assert.equal(limiter.allows('d', 0), true);
    limiter.recordFailure('c', 0);
    assert.equal(limiter.allows('d', 0), false);
    assert.equal(limiter.allows('d', 1_000), true);
  });

  it('counts validations under way from every address against the ceiling', () => {
    const limiter = new FailureLimiter({ perAddress: 100, total: 2 });
    limiter.recordFailure('a', 0);
    limiter.begin('b');
    assert.equal(limiter.allows('c', 0), false);
    limiter.end('b', false, 0);
    assert.equal(limiter.allows('c', 0), true);
  });

  it('gives back one place per ended validation', () => {
    const limiter = new FailureLimiter({ perAddress: 100, total: 1 });
    limiter.begin('a');
    limiter.begin('b');
    limiter.end('a', false, 0);
    assert.equal(limiter.allows('c', 0), false);
    limiter.end('b', false, 0);
    assert.equal(limiter.allows('c', 0), true);
  });
});

describe('failure limiter memory', () => {
  it('forgets the address that failed least recently once it remembers too many', () => {
    const limiter = new FailureLimiter({ perAddress: 1, total: 100, maxAddresses: 2 });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('b', 1);
    limiter.recordFailure('a', 2);
    assert.equal(limiter.allows('a', 3), false);
    assert.equal(limiter.allows('b', 3), false);
    limiter.recordFailure('c', 3);
    assert.deepEqual(
      ['a', 'b', 'c'].map((address) => limiter.allows(address, 4)),
      [false, true, false]
    );
  });
});

describe('Retry-After', () => {
  it('is one second when nothing failed', () => {
    assert.equal(new FailureLimiter().retryAfterSeconds('a', 0), 1);
  });

  it('counts whole seconds until the oldest failure leaves the window', () => {
    const limiter = new FailureLimiter({ perAddress: 2, windowMs: 10_000 });
    limiter.recordFailure('a', 1_000);
    limiter.recordFailure('a', 6_000);
    assert.equal(limiter.retryAfterSeconds('a', 1_000), 10);
    assert.equal(limiter.retryAfterSeconds('a', 3_500), 8);
    assert.equal(limiter.retryAfterSeconds('a', 10_999), 1);
    // At the window's edge the oldest failure is gone and the address may try again.
    assert.equal(limiter.allows('a', 11_000), true);
    assert.equal(limiter.retryAfterSeconds('a', 11_000), 1);
    assert.equal(limiter.retryAfterSeconds('a', 16_000), 1);
  });

  it('counts the failures of all addresses when the ceiling over all is reached', () => {
    const limiter = new FailureLimiter({ perAddress: 100, total: 1, windowMs: 10_000 });
    limiter.recordFailure('b', 2_000);
    assert.equal(limiter.allows('a', 4_000), false);
    assert.equal(limiter.retryAfterSeconds('a', 4_000), 8);
  });

  it('for an address blocked by its own failures, counts from its own oldest failure, not another address’s', () => {
    const limiter = new FailureLimiter({ perAddress: 1, windowMs: 10_000 });
    limiter.recordFailure('b', 0);
    limiter.recordFailure('a', 5_000);
    assert.equal(limiter.allows('a', 6_000), false);
    // Blocked until 15 000: Retry-After from 6 000 should be 9 s, not 4 s.
    assert.equal(limiter.retryAfterSeconds('a', 6_000), 9);
  });
});
