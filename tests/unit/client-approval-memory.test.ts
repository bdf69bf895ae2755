/**
 * What the client approval channel remembers between requests (approvals/client-memory.ts): which declared
 * capabilities allow a form question, bounded maps that forget by age and by number, and the digest that
 * binds a 2026-era answer to one call.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asksForms, BoundedMap, callDigest, clientKey } from '../../server/src/approvals/client-memory.js';

describe('client approval memory', () => {
  it('reads form elicitation as the spec has it: bare, or form named; not url alone, not absent', () => {
    assert.equal(asksForms({ elicitation: {} }), true);
    assert.equal(asksForms({ elicitation: { form: {} } }), true);
    assert.equal(asksForms({ elicitation: { form: {}, url: {} } }), true);
    assert.equal(asksForms({ elicitation: { url: {} } }), false);
    assert.equal(asksForms({ sampling: {} }), false);
    assert.equal(asksForms(undefined), false);
  });

  it('forgets entries past their age, and the oldest beyond its size', () => {
    let now = 0;
    const map = new BoundedMap<number>(2, 100, () => now);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    assert.equal(map.get('a'), undefined, 'the oldest made room');
    assert.equal(map.get('b'), 2);
    now = 101;
    assert.equal(map.get('c'), undefined, 'too old');
    assert.equal(map.size, 1);
  });

  it('digests a call the same whatever the order of its arguments, and differently for other arguments', () => {
    const one = callDigest('Unlock', { lock: 'Front', code: { a: 1, b: [1, 2] } });
    assert.equal(one, callDigest('Unlock', { code: { b: [1, 2], a: 1 }, lock: 'Front' }));
    assert.notEqual(one, callDigest('Unlock', { lock: 'Back', code: { a: 1, b: [1, 2] } }));
    assert.notEqual(one, callDigest('Lock', { lock: 'Front', code: { a: 1, b: [1, 2] } }));
    assert.notEqual(callDigest('Unlock', { a: [1, 2] }), callDigest('Unlock', { a: [2, 1] }));
    assert.equal(callDigest('Unlock', undefined), callDigest('Unlock', {}));
  });

  it('tells clients of one token apart by their program', () => {
    assert.notEqual(clientKey('h', 'claude-code/2.1'), clientKey('h', 'cursor/1.0'));
    assert.equal(clientKey('h', undefined), clientKey('h', ''));
  });
});
