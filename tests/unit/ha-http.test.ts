/**
 * The one HTTP door to Home Assistant and the Supervisor (server/src/ha/http.ts, supervisor.ts): an answer
 * with a 2xx status, or one of two errors, away or refused, saying who; the Supervisor's envelope read and its
 * refusals in its own words; the token sent as a bearer header and never put in a message.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { HaAwayError, HaRefusedError } from '../../server/src/ha/errors.js';
import { haHttp, haJson } from '../../server/src/ha/http.js';
import { supervisorApi } from '../../server/src/ha/supervisor.js';

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('HTTP to Home Assistant', () => {
  it('sends JSON or a form with the bearer token, and reads the answer', async () => {
    const seen: string[] = [];
    const url = await serve((req, body, res) => {
      seen.push(
        `${req.method} ${req.url} ${req.headers.authorization} ${req.headers['content-type']} ${body}`
      );
      res.end(JSON.stringify({ ok: true }));
    });
    assert.deepEqual(await haJson(`${url}/api/x`, { token: 't1', json: { a: 1 } }), { ok: true });
    await haHttp(`${url}/auth/token`, { form: { grant_type: 'refresh_token' } });
    assert.deepEqual(seen, [
      'POST /api/x Bearer t1 application/json {"a":1}',
      'POST /auth/token undefined application/x-www-form-urlencoded grant_type=refresh_token',
    ]);
  });

  it('is refused with the status and the start of the answer, never the token', async () => {
    const url = await serve((_req, _body, res) => {
      res.statusCode = 403;
      res.end('{"message":"Forbidden"}');
    });
    await assert.rejects(haHttp(`${url}/api/x`, { token: 'secret-token' }), (err: unknown) => {
      assert.ok(err instanceof HaRefusedError);
      assert.equal(err.refusal.status, 403);
      assert.equal(err.message, 'Home Assistant answered 403: {"message":"Forbidden"}');
      assert.doesNotMatch(err.message, /secret-token/);
      return true;
    });
  });

  it('is away when nothing answers, or nothing answers in time', async () => {
    await assert.rejects(haHttp('http://127.0.0.1:9/api/'), (err: unknown) => {
      assert.ok(err instanceof HaAwayError);
      assert.equal(err.message, 'Home Assistant is unavailable');
      return true;
    });
    const silent = await serve(() => {});
    await assert.rejects(
      haHttp(`${silent}/api/`, { timeoutMs: 200, who: 'the Supervisor' }),
      (err: unknown) =>
        err instanceof HaAwayError && err.message === 'The Supervisor did not answer within 0.2 s'
    );
  });
});

describe('the Supervisor’s API', () => {
  it('answers the data of an ok envelope, and refuses in its own words otherwise', async () => {
    const url = await serve((req, _body, res) => {
      if (req.url === '/core/info') return res.end(JSON.stringify({ result: 'ok', data: { port: 8123 } }));
      if (req.url === '/odd') return res.end(JSON.stringify({ result: 'error', message: 'Not now' }));
      res.statusCode = 400;
      res.end(JSON.stringify({ result: 'error', message: 'Missing option external_url' }));
    });
    const api = supervisorApi('sup', { baseUrl: url });
    assert.deepEqual(await api.get('/core/info'), { port: 8123 });
    await assert.rejects(api.get('/odd'), (err: unknown) => {
      assert.ok(err instanceof HaRefusedError);
      assert.deepEqual(err.refusal, { status: 200, reason: 'Not now' });
      return true;
    });
    await assert.rejects(
      api.post('/addons/self/options', {}),
      (err: unknown) =>
        err instanceof HaRefusedError &&
        err.refusal.reason === 'Missing option external_url' &&
        err.message === 'the Supervisor refused: Missing option external_url'
    );
  });
});
