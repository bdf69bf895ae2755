/**
 * The add-on as Home Assistant's OAuth client (ha-oauth.ts), against a local http server standing in for
 * Core's `/auth/token` and `/auth/revoke`: the forms it posts, HA's refusals told apart from HA being
 * away, and a revocation that never fails the caller.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { after, describe, it } from 'node:test';
import { HaError } from '../../../server/src/ha/errors.js';
import { haAwayFromSignIn, haOAuth, haRefusedSignIn } from '../../../server/src/oauth/ha-oauth.js';

interface Seen {
  method: string;
  path: string;
  type: string | undefined;
  form: Record<string, string>;
}

/** A stand-in Core: answers each request with what `answer` says, and records it. */
async function core(answer: (seen: Seen) => { status?: number; body?: string; hang?: boolean }) {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const entry = {
        method: req.method!,
        path: req.url!,
        type: req.headers['content-type'],
        form: Object.fromEntries(new URLSearchParams(body)),
      };
      seen.push(entry);
      const a = answer(entry);
      if (a.hang) return;
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

const TOKENS = { access_token: 'at', refresh_token: 'rt', expires_in: 1800 };

/** A failure of the door's kinds, and whether the sign-in takes it as HA saying no or as HA being away. */
const failsWith = async (promise: Promise<unknown>, message: string, refused: boolean) => {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof HaError, String(err));
    assert.equal(err.message, message);
    assert.equal(haRefusedSignIn(err), refused);
    assert.equal(haAwayFromSignIn(err), !refused);
    return true;
  });
};

describe('Home Assistant as the OAuth provider', () => {
  it('exchanges a code at /auth/token with the add-on’s client id', async () => {
    const ha = await core(() => ({ body: JSON.stringify(TOKENS) }));
    assert.deepEqual(await haOAuth(ha.url).exchangeCode('the-code', 'https://mcp.example.org/'), TOKENS);
    assert.deepEqual(ha.seen, [
      {
        method: 'POST',
        path: '/auth/token',
        type: 'application/x-www-form-urlencoded',
        form: { grant_type: 'authorization_code', code: 'the-code', client_id: 'https://mcp.example.org/' },
      },
    ]);
  });

  it('refreshes at /auth/token, finding Core’s address when it is asked', async () => {
    const ha = await core(() => ({ body: JSON.stringify({ access_token: 'at2', expires_in: 1800 }) }));
    let asked = 0;
    const client = haOAuth(async () => {
      asked++;
      return ha.url;
    });
    assert.equal(asked, 0);
    assert.deepEqual(await client.refresh('the-refresh', 'https://mcp.example.org/'), {
      access_token: 'at2',
      expires_in: 1800,
    });
    assert.equal(asked, 1);
    assert.deepEqual(ha.seen[0]?.form, {
      grant_type: 'refresh_token',
      refresh_token: 'the-refresh',
      client_id: 'https://mcp.example.org/',
    });
    assert.equal(ha.seen[0]?.path, '/auth/token');
  });

  it('revokes at /auth/revoke', async () => {
    const ha = await core(() => ({}));
    assert.equal(await haOAuth(ha.url).revoke('the-refresh'), undefined);
    assert.deepEqual(ha.seen, [
      {
        method: 'POST',
        path: '/auth/revoke',
        type: 'application/x-www-form-urlencoded',
        form: { token: 'the-refresh' },
      },
    ]);
  });

  it('never fails a revocation, whatever HA answers or whether it is there', async () => {
    const ha = await core(() => ({ status: 500 }));
    await haOAuth(ha.url).revoke('x');
    await haOAuth('http://127.0.0.1:1').revoke('x');
    assert.equal(ha.seen.length, 1);
  });

  it('takes 400, 401 and 403 as HA refusing', async () => {
    for (const status of [400, 401, 403]) {
      const ha = await core(() => ({ status, body: '{"error":"invalid_grant"}' }));
      await failsWith(
        haOAuth(ha.url).refresh('x', 'c'),
        `Home Assistant answered ${status}: {"error":"invalid_grant"}`,
        true
      );
    }
  });

  it('takes other failures as HA being away, not refusing', async () => {
    for (const status of [404, 500, 502]) {
      const ha = await core(() => ({ status }));
      await failsWith(haOAuth(ha.url).exchangeCode('x', 'c'), `Home Assistant answered ${status}: `, false);
    }
  });

  it('says HA is unavailable when it cannot be reached or does not answer in time', async () => {
    await failsWith(haOAuth('http://127.0.0.1:1').refresh('x', 'c'), 'Home Assistant is unavailable', false);
    const ha = await core(() => ({ hang: true }));
    await failsWith(
      haOAuth(ha.url, 50).refresh('x', 'c'),
      'Home Assistant did not answer within 0.05 s',
      false
    );
  });

  it('answers nothing for an empty body', async () => {
    const ha = await core(() => ({ body: '' }));
    assert.equal(await haOAuth(ha.url).exchangeCode('x', 'c'), undefined);
  });
});
