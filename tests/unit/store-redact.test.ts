/**
 * Pins what the request log keeps of a call's arguments (server/src/store/redact.ts): which keys count as
 * secret (and which look alike but are kept), the exact cut marks of the size budget, the depth limit, and
 * what becomes of values JSON cannot hold.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isSecretKey,
  MAX_ARGUMENTS_CHARS,
  REDACTED,
  redactArguments,
} from '../../server/src/store/redact.js';

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

  it('mark a replaced value with the literal text [redacted]', () => {
    assert.equal(REDACTED, '[redacted]');
    assert.equal(redactArguments({ token: 'abc', name: 'n' }), '{"token":"[redacted]","name":"n"}');
  });

  it('count as secret every usual name of a credential and the codes of locks and alarms', () => {
    for (const key of [
      'token',
      'access_token',
      'secret',
      'client_secret',
      'password',
      'passwd',
      'PASSWD',
      'passphrase',
      'authorization',
      'authorisation',
      'cookie',
      'session',
      'session_id',
      'apikey',
      'api_key',
      'api-key',
      'api key',
      'privatekey',
      'private_key',
      'private-key',
      'private key',
      'credential',
      'credentials',
      'code_verifier',
      'code',
      'Code',
      'pin',
      'PIN',
      'otp',
    ]) {
      assert.equal(isSecretKey(key), true, key);
    }
  });

  it('keep keys that only contain code, pin or otp, or only resemble a credential', () => {
    for (const key of [
      'name',
      'zipcode',
      'barcode',
      'codec',
      'code2',
      'spin',
      'pinned',
      'pin_count',
      'otp_length',
      'footp',
      'passed',
      'pass',
      'api',
      'key',
      'private',
      'author',
      'apixkey',
      'privatexkey',
    ]) {
      assert.equal(isSecretKey(key), false, key);
    }
    assert.equal(
      redactArguments({ zipcode: '1234', code: '9999', spin: 2, pin: '0000' }),
      '{"zipcode":"1234","code":"[redacted]","spin":2,"pin":"[redacted]"}'
    );
  });

  it('keep a text exactly as long as the bound whole, and cut one character longer', () => {
    assert.equal(redactArguments('abc', 5), '"abc"');
    assert.equal(redactArguments('abcd', 5), '"abc…');
    assert.equal(redactArguments('abcd', 5)!.length, 5);
  });

  it('spend six characters of the budget per number and stop an array with one ellipsis', () => {
    assert.equal(redactArguments(Array(20).fill(1), 60), '[1,1,1,1,1,1,1,1,1,1,"…"]');
    assert.equal(redactArguments([true, null, false, 7, 8, 9], 24), '[true,null,false,7,"…"]');
  });

  it('spend a string its length and quotes of the budget', () => {
    const eight = 'abcdefgh';
    assert.equal(
      redactArguments([1, 1, 1, 1, 1, eight, eight, eight, eight, eight, eight], 60),
      '[1,1,1,1,1,"abcdefgh","abcdefgh","abcdefgh","…"]'
    );
  });

  it('spend a key its length, quotes and colon, and stop an object with one ellipsis entry', () => {
    assert.equal(redactArguments({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 }, 30), '{"a":1,"b":1,"c":1,"…":"…"}');
    // The key of "d" uses up the budget: its value is cut, and an ellipsis entry ends the object.
    assert.equal(redactArguments({ a: 1, b: 1, c: 1, d: 1 }, 34), '{"a":1,"b":1,"c":1,"d":"…"}');
    assert.equal(
      redactArguments({ abcdefghij: 1, klmnopqrst: 1, uvwxyzabcd: 1, more: 1 }, 57),
      '{"abcdefghij":1,"klmnopqrst":1,"uvwxyzabcd":1,"…":"…"}'
    );
  });

  it('stop at a depth of 32, in arrays and in objects', () => {
    let list: unknown = 'x';
    let tree: unknown = 'x';
    for (let i = 0; i < 40; i++) {
      list = [list];
      tree = { k: tree };
    }
    assert.equal(redactArguments(list), '['.repeat(32) + '"…"' + ']'.repeat(32));
    assert.equal(redactArguments(tree), '{"k":'.repeat(32) + '"…"' + '}'.repeat(32));
    let shallow: unknown = 'x';
    for (let i = 0; i < 32; i++) shallow = [shallow];
    assert.equal(redactArguments(shallow), '['.repeat(32) + '"x"' + ']'.repeat(32));
  });

  it('use toJSON as JSON does, counting what it returns one level deeper', () => {
    assert.equal(redactArguments({ when: new Date(0) }), '{"when":"1970-01-01T00:00:00.000Z"}');
    assert.equal(
      redactArguments({ box: { toJSON: () => ({ token: 's', n: 1 }) } }),
      '{"box":{"token":"[redacted]","n":1}}'
    );
    // A toJSON that never ends is stopped by the depth limit.
    const endless = (): unknown => ({ toJSON: endless });
    assert.equal(redactArguments(endless()), '"…"');
    let nested: unknown = { toJSON: () => ['y'] };
    for (let i = 0; i < 31; i++) nested = [nested];
    assert.equal(redactArguments(nested), '['.repeat(31) + '"…"' + ']'.repeat(31));
  });

  it('drop functions and symbols as JSON does, and keep nothing of a value that is only one', () => {
    assert.equal(redactArguments({ f: () => 1, s: Symbol('s'), a: [() => 1], n: 1 }), '{"a":[null],"n":1}');
    assert.equal(
      redactArguments(() => 1),
      null
    );
    assert.equal(redactArguments(Symbol('q')), null);
  });

  it('say exactly that the arguments were unreadable when reading them throws', () => {
    const hostile = {
      get boom(): string {
        throw new Error('no');
      },
    };
    assert.equal(redactArguments(hostile), '"[unreadable arguments]"');
  });
});
