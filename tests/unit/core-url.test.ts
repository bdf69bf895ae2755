import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coreUrlOf } from '../../server/src/ha/core-url.js';
import { HaAwayError } from '../../server/src/ha/errors.js';
import { createLogger } from '../../server/src/log.js';

/** A Supervisor whose `/core/info` says what `core` holds at the time it is asked. */
function supervisor(core: { port: number; ssl: boolean } | 'down') {
  const asked: string[] = [];
  const answer = { core };
  const fetch = (async (url: string) => {
    asked.push(new URL(url).pathname);
    if (answer.core === 'down') throw new TypeError('fetch failed');
    return new Response(JSON.stringify({ result: 'ok', data: answer.core }));
  }) as typeof globalThis.fetch;
  return { fetch, asked, answer };
}

const addon = { mode: 'addon' as const, haUrl: 'http://supervisor/core', haToken: 'supervisor-token' };

describe("Core's address in an add-on", () => {
  it('comes from /core/info, asked once however many requests wait for it', async () => {
    const sup = supervisor({ port: 8123, ssl: false });
    const url = coreUrlOf(
      addon,
      createLogger('error', () => {}),
      { fetch: sup.fetch }
    );
    const answers = await Promise.all([url(), url(), url()]);
    assert.deepEqual(answers, Array(3).fill('http://homeassistant:8123'));
    assert.equal(await url(), 'http://homeassistant:8123');
    assert.deepEqual(sup.asked, ['/core/info']);
  });

  it('is asked again after Core restarted, so a new port or TLS applies without restarting the add-on', async () => {
    const sup = supervisor({ port: 8123, ssl: false });
    const lines: string[] = [];
    const url = coreUrlOf(
      addon,
      createLogger('info', (line) => lines.push(line)),
      { fetch: sup.fetch }
    );
    assert.equal(await url(), 'http://homeassistant:8123');
    sup.answer.core = { port: 8443, ssl: true };
    assert.equal(await url(), 'http://homeassistant:8123', 'kept until Core restarts');
    url.recheck();
    assert.equal(await url(), 'https://homeassistant:8443');
    assert.equal(await url(), 'https://homeassistant:8443');
    assert.deepEqual(sup.asked, ['/core/info', '/core/info']);
    assert.equal(lines.filter((l) => l.includes('https://homeassistant:8443')).length, 1);
  });

  it('is unavailable while the Supervisor does not answer, and asked again by the next request', async () => {
    const sup = supervisor('down');
    const url = coreUrlOf(
      addon,
      createLogger('error', () => {}),
      { fetch: sup.fetch }
    );
    await assert.rejects(
      url(),
      (err: Error) => err instanceof HaAwayError && /did not say which port/.test(err.message)
    );
    sup.answer.core = { port: 8123, ssl: true };
    assert.equal(await url(), 'https://homeassistant:8123');
    assert.equal(sup.asked.length, 2);
  });

  it('standalone is HA_URL', async () => {
    const url = coreUrlOf(
      { mode: 'standalone', haUrl: 'https://ha.lan:8123', haToken: 't' },
      createLogger('error', () => {})
    );
    assert.equal(await url(), 'https://ha.lan:8123');
  });
});
