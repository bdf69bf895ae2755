import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ARGUMENTS_CHARS, REDACTED, redactArguments } from '../../server/src/store/redact.js';

describe('request log arguments', () => {
  it('keep ordinary arguments as JSON', () => {
    const args = { name: 'Kitchen light', area: 'Kitchen', brightness: 40, on: true, colors: [1, 2] };
    assert.deepEqual(JSON.parse(redactArguments(args)!), args);
  });

  it('replace the values of secret-looking keys, at any depth and in any case', () => {
    const text = redactArguments({
      name: 'front door',
      code: 'S1',
      nested: {
        list: [{ Authorization: 'Bearer S2' }, { api_key: 'S3' }, { 'API Key': 'S4' }, { apiKey: 'S5' }],
        access_token: 'S6',
        refresh_token: { deep: 'S7' },
        password: 'S8',
        client_secret: 'S9',
        Cookie: 'S10=1',
        private_key: 'S11',
      },
    })!;
    assert.doesNotMatch(text, /S\d/);
    const parsed = JSON.parse(text);
    assert.equal(parsed.name, 'front door');
    assert.equal(parsed.code, REDACTED);
    assert.equal(parsed.nested.list[0].Authorization, REDACTED);
    assert.equal(parsed.nested.refresh_token, REDACTED);
  });

  it('are cut to the bound, marked with an ellipsis', () => {
    const text = redactArguments({
      text: 'x'.repeat(100_000),
      more: Array.from({ length: 10_000 }, (_, i) => i),
    })!;
    assert.ok(text.length <= MAX_ARGUMENTS_CHARS, `length ${text.length}`);
    assert.ok(text.endsWith('…'));
    assert.equal(redactArguments({ a: 'y'.repeat(50) }, 20)!.length, 20);
  });

  it('survive what clients can send: cycles, bigints, throwing getters, nothing at all', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    assert.deepEqual(JSON.parse(redactArguments(cyclic)!), { name: 'loop', self: '[circular]' });
    assert.equal(redactArguments({ n: 10n }), '{"n":"10"}');
    const hostile = {
      get boom(): string {
        throw new Error('no');
      },
    };
    assert.equal(typeof redactArguments(hostile), 'string');
    assert.equal(redactArguments(undefined), null);
    assert.equal(redactArguments(null), 'null');
    assert.equal(redactArguments('plain'), '"plain"');
  });

  it('keep shared (non-cyclic) objects', () => {
    const shared = { x: 1 };
    assert.deepEqual(JSON.parse(redactArguments({ a: shared, b: shared })!), { a: { x: 1 }, b: { x: 1 } });
  });
});
