import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { forwardedAddress, trustForwardedFrom, unmapped } from '../../server/src/http/client-address.js';
import { listen } from '../../server/src/http/listen.js';
import { clientAddress } from '../../server/src/mcp/request-record.js';

describe("a request's client address", () => {
  it('takes the last address a trusted proxy forwarded, when it is an IP address', () => {
    assert.equal(forwardedAddress('198.51.100.4'), '198.51.100.4');
    assert.equal(forwardedAddress('203.0.113.9, 198.51.100.4'), '198.51.100.4');
    assert.equal(forwardedAddress('2001:db8::7'), '2001:db8::7');
    assert.equal(forwardedAddress('not-an-address'), undefined);
    assert.equal(forwardedAddress(''), undefined);
    assert.equal(forwardedAddress(undefined), undefined);
    assert.equal(unmapped('::ffff:172.30.32.1'), '172.30.32.1');
  });

  it('believes X-Forwarded-For from a trusted peer only; the log and limits read it through clientAddress()', async () => {
    const seen = async (trusted: boolean, forwarded?: string) => {
      const app = new Hono();
      app.use(
        '*',
        trustForwardedFrom((peer) => trusted && peer === '127.0.0.1')
      );
      app.get('/', (c) => c.text(clientAddress(c)));
      const listener = await listen('test', app, '127.0.0.1', 0);
      try {
        const res = await fetch(`http://127.0.0.1:${listener.port}/`, {
          headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
        });
        return await res.text();
      } finally {
        await listener.close();
      }
    };
    assert.equal(await seen(true, '198.51.100.4'), '198.51.100.4');
    assert.equal(await seen(true), '127.0.0.1');
    assert.equal(await seen(true, 'garbage'), '127.0.0.1');
    assert.equal(await seen(false, '198.51.100.4'), '127.0.0.1');
  });
});
