/**
 * Property-based abuse of the OAuth doors (issue 18, point 5): generated requests to registration, the
 * token endpoint, revocation, the authorization request, Home Assistant's callback, the consent form and
 * the discovery documents, through the server process against the real test Home Assistant, from 200
 * client addresses. Malformed forms and JSON, PKCE values, redirect URIs, client ids, headers, oversized
 * and deeply nested values, bodies declared or chunked. Rules for every case: no 5xx, no stack trace in
 * an answer; and for the run: the process keeps answering and logs no failure, its resident memory stays
 * flat, and nothing is stored but the registrations it answered 201 to.
 *
 * No client id is an https URL: those make the server fetch a document or page from the internet.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { MAX_BODY_BYTES } from '../../server/src/oauth/routes.js';
import { DATABASE_FILE } from '../../server/src/store/db.js';
import { testHa } from '../support/ha/fixture.js';
import { loopbackClients, MB, mb, residentBytes, send } from '../support/from-outside.js';
import { pkce } from '../support/oauth-sign-in.js';
import { tallied } from '../support/reliability-tally.js';
import { startServer, type RunningServer } from '../support/server-process.js';

const CASES = 10_000;
const LEAKS = [/\n\s+at [\w.<>]+ \(/, /node_modules/, /\.ts:\d+/, /\.js:\d+:\d+/];
const LASTING_SLACK = 16 * MB;
const PEAK_SLACK = 64 * MB;

/** The usual value most of the time, so that many cases get past the first checks to the ones behind. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 6, arbitrary: usual }, { weight: 1, arbitrary: odd });
const anyJson = fc.jsonValue({ maxDepth: 3 });
/** Text that breaks form and URL decoding. */
const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '&&==&', '=', '\u0000', '\ud800', '+%2B+', 'a=b=c'),
  fc.string({ unit: 'binary', maxLength: 30 })
);
const long = (min: number, max: number) => fc.integer({ min, max }).map((n) => 'x'.repeat(n));
const nested = fc
  .tuple(fc.integer({ min: 50, max: 4_000 }), fc.constantFrom(['[', ']', '1'], ['{"a":', '}', '1']))
  .map(([depth, [open, close, inner]]) => `${open!.repeat(depth)}${inner}${close!.repeat(depth)}`);

const redirectUri = mostly(
  fc.constantFrom(
    'http://127.0.0.1:53682/callback',
    'http://localhost:4000/cb',
    'https://app.example/cb',
    'cursor://anysphere.cursor-mcp/oauth/callback'
  ),
  fc.oneof(
    fc.constantFrom('javascript:alert(1)', 'http://evil.example/cb', 'data:text/html,x', '', 'https://a#b'),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    long(1_990, 2_100).map((x) => `https://app.example/${x}`),
    junk
  )
);

/** Text as a query string as it is, malformed escapes included: only what a URL cannot carry is escaped. */
const rawQuery = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      b > 0x20 && b < 0x7f && b !== 0x23 ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`
    )
    .join('');

/** What a generated case sends. */
interface Case {
  door: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string | undefined>;
  body?: string;
  chunked?: boolean;
}

/** Every door's requests, for a server at `base` where `registered` is a registered client's id. */
function caseArbitrary(base: string, registered: string): fc.Arbitrary<Case> {
  const clientId = () =>
    mostly(
      fc.constant(registered),
      fc.oneof(
        fc.constantFrom(
          '',
          'hamcp_client_nobody',
          'http://127.0.0.1:5/',
          'http://localhost/x',
          'http://[::1]/'
        ),
        fc.string({ maxLength: 30 }),
        long(1_990, 2_100)
      )
    );
  const challenge = mostly(
    fc.constant(pkce().challenge),
    fc.oneof(fc.stringMatching(/^[A-Za-z0-9_~.-]{0,140}$/), junk)
  );

  /** A body for these fields: a form, JSON, or something that is neither; sometimes far too large. */
  const encoded = (fields: fc.Arbitrary<Record<string, unknown>>) =>
    fc.oneof(
      {
        weight: 6,
        arbitrary: fields.map((f) => ({
          type: 'application/x-www-form-urlencoded',
          body: new URLSearchParams(
            Object.entries(f).map(([k, v]): [string, string] => [
              k,
              typeof v === 'string' ? v : JSON.stringify(v),
            ])
          ).toString(),
        })),
      },
      { weight: 2, arbitrary: fields.map((f) => ({ type: 'application/json', body: JSON.stringify(f) })) },
      {
        weight: 2,
        arbitrary: fc.record({
          type: fc.constantFrom(
            'application/x-www-form-urlencoded',
            'application/json',
            'application/json; charset=utf-16',
            'text/plain',
            'multipart/form-data; boundary=x',
            ''
          ),
          body: fc.oneof(
            junk,
            nested,
            anyJson.map((v) => JSON.stringify(v)),
            fc.string({ maxLength: 300 })
          ),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          type: fc.constantFrom('application/x-www-form-urlencoded', 'application/json'),
          body: fc
            .integer({ min: MAX_BODY_BYTES - 16, max: 4 * MAX_BODY_BYTES })
            .map((n) => `grant_type=${'x'.repeat(n)}`),
        }),
      }
    );

  const post = (door: string, path: string, fields: fc.Arbitrary<Record<string, unknown>>) =>
    fc
      .record({
        encoded: encoded(fields),
        chunked: fc.boolean(),
        authorization: mostly(
          fc.constant(undefined),
          fc.oneof(
            fc.base64String({ maxLength: 60 }).map((b) => `Basic ${b}`),
            junk.map((j) => `Basic ${Buffer.from(`${j}:secret`).toString('base64')}`),
            junk.map((j) => `Bearer ${j}`)
          )
        ),
        origin: mostly(fc.constant(undefined), fc.constantFrom('https://evil.example', 'null', base)),
      })
      .map((r): Case => ({
        door,
        method: 'POST',
        path,
        headers: { 'content-type': r.encoded.type, authorization: r.authorization, origin: r.origin },
        body: r.encoded.body,
        chunked: r.chunked,
      }));

  const registration = post(
    'registration',
    '/oauth/register',
    fc.record(
      {
        redirect_uris: mostly(
          fc.array(redirectUri, { minLength: 1, maxLength: 3 }),
          fc.oneof(fc.array(redirectUri, { maxLength: 25 }), anyJson)
        ),
        client_name: fc.oneof(fc.string({ maxLength: 60 }), long(190, 7_000), anyJson),
        client_uri: fc.oneof(fc.webUrl(), long(1_990, 3_000), anyJson),
        grant_types: fc.oneof(fc.constant(['authorization_code', 'refresh_token']), anyJson),
        token_endpoint_auth_method: fc.constantFrom('none', 'client_secret_basic', 'private_key_jwt'),
        application_type: fc.constantFrom('native', 'web', 'x'),
        scope: fc.string({ maxLength: 40 }),
        __proto__: anyJson,
        extra: anyJson,
      },
      { requiredKeys: [] }
    )
  );
  const token = post(
    'token',
    '/oauth/token',
    fc.record(
      {
        grant_type: mostly(
          fc.constantFrom('authorization_code', 'refresh_token'),
          fc.oneof(fc.constantFrom('client_credentials', 'password', ''), junk)
        ),
        client_id: clientId(),
        code: fc.oneof(
          fc.string({ maxLength: 60 }).map((s) => `hamcp_ac_${s}`),
          junk
        ),
        code_verifier: mostly(
          fc.constant(pkce().verifier),
          fc.oneof(fc.stringMatching(/^[A-Za-z0-9_~.-]{0,200}$/), junk)
        ),
        redirect_uri: redirectUri,
        refresh_token: fc.oneof(
          fc.string({ maxLength: 60 }).map((s) => `hamcp_rt_${s}`),
          junk
        ),
        resource: fc.oneof(fc.constant(`${base}/api/mcp`), fc.webUrl(), junk),
        client_secret: junk,
      },
      { requiredKeys: [] }
    )
  );
  const revocation = post(
    'revocation',
    '/oauth/revoke',
    fc.record(
      {
        token: fc.oneof(
          fc.string({ maxLength: 60 }).map((s) => `hamcp_rt_${s}`),
          junk,
          anyJson
        ),
        token_type_hint: fc.constantFrom('refresh_token', 'access_token', 'x'),
        client_id: clientId(),
      },
      { requiredKeys: [] }
    )
  );
  const consent = post(
    'consent',
    '/oauth/consent',
    fc.record(
      {
        request: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{32}$/), junk),
        csrf: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{32}$/), junk),
        decision: fc.constantFrom('approve', 'deny', ''),
        control: fc.constantFrom('on', 'off', ''),
      },
      { requiredKeys: [] }
    )
  );
  const query = (fields: fc.Arbitrary<Record<string, string>>) =>
    fc.oneof(
      { weight: 6, arbitrary: fields.map((f) => new URLSearchParams(f).toString()) },
      { weight: 1, arbitrary: junk.map(rawQuery) }
    );
  const authorization = query(
    fc.record(
      {
        response_type: mostly(fc.constant('code'), fc.constantFrom('token', '', 'code id_token')),
        client_id: clientId(),
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: mostly(fc.constant('S256'), fc.constantFrom('plain', '', 's256')),
        resource: mostly(fc.constant(`${base}/api/mcp`), fc.oneof(fc.webUrl(), junk)),
        scope: fc.constantFrom('homeassistant.read', 'homeassistant.read homeassistant.control', 'admin', ''),
        state: fc.oneof(fc.string({ maxLength: 40 }), long(1_990, 2_100)),
      },
      { requiredKeys: [] }
    )
  ).map((q): Case => ({ door: 'authorization', method: 'GET', path: `/oauth/authorize?${q}`, headers: {} }));
  const callback = query(
    fc.record(
      { state: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{32}$/), junk), code: junk, error: junk },
      { requiredKeys: [] }
    )
  ).map((q): Case => ({
    door: 'authorization',
    method: 'GET',
    path: `/oauth/ha-callback?${q}`,
    headers: {},
  }));
  const discovery = fc
    .constantFrom(
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/api/mcp'
    )
    .map((path): Case => ({ door: 'discovery', method: 'GET', path, headers: {} }));

  return fc.oneof(
    { weight: 3, arbitrary: registration },
    { weight: 3, arbitrary: token },
    { weight: 2, arbitrary: revocation },
    { weight: 2, arbitrary: authorization },
    { weight: 1, arbitrary: callback },
    { weight: 2, arbitrary: consent },
    { weight: 1, arbitrary: discovery }
  );
}

describe('fuzzing the OAuth doors', () => {
  let server: RunningServer;
  let dataDir: string;
  let base: string;
  let registered: string;

  before(async () => {
    const ha = await testHa();
    dataDir = mkdtempSync(join(tmpdir(), 'oauth-fuzz-'));
    server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken, DATA_DIR: dataDir });
    await server.waitForLog(/Home Assistant model ready/);
    base = server.mcpUrl;
    const res = await fetch(`${base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Fuzz target',
        redirect_uris: ['http://127.0.0.1:53682/callback'],
      }),
    });
    registered = ((await res.json()) as { client_id: string }).client_id;
  });

  after(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const rows = () => {
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      const count = (table: string) =>
        (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return {
        clients: count('oauth_clients'),
        grants: count('oauth_grants'),
        tokens: count('oauth_tokens'),
      };
    } finally {
      db.close();
    }
  };

  it(`answers ${CASES} generated requests without a 5xx or a stack trace, memory flat, storing only what it accepted`, () =>
    tallied(
      'fuzzed OAuth requests (registration, token, revocation, authorization, consent)',
      async (count) => {
        const clients = loopbackClients(200);
        const before = rows();
        const failures: string[] = [];
        const statuses = new Map<string, number>();
        let created = 0;
        let baseline = 0;
        let peak = 0;
        await fc.assert(
          fc.asyncProperty(caseArbitrary(base, registered), async (c) => {
            const { agent } = clients[count.cases++ % clients.length]!;
            const headers = Object.fromEntries(
              Object.entries(c.headers).filter((e): e is [string, string] => e[1] !== undefined)
            );
            let answer;
            try {
              answer = await send(agent, `${base}${c.path}`, {
                method: c.method,
                headers,
                ...(c.body !== undefined && {
                  body: c.chunked ? Readable.from([Buffer.from(c.body)]) : c.body,
                }),
              });
            } catch (err) {
              // A request the client library itself refuses to send (a header it cannot carry) proves nothing.
              if (
                err instanceof Error &&
                /header|invalid/i.test(err.message) &&
                !/socket|closed/i.test(err.message)
              )
                return true;
              throw err;
            }
            const key = `${c.door} ${answer.status}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            if (c.door === 'registration' && answer.status === 201) created++;
            if (count.cases === 500) baseline = residentBytes(server.pid);
            if (count.cases % 500 === 0) peak = Math.max(peak, residentBytes(server.pid));
            const problems = [
              ...(answer.status >= 500 ? [`HTTP ${answer.status}`] : []),
              ...LEAKS.filter((p) => p.test(answer.text)).map((p) => `a stack trace or source path (${p})`),
            ];
            if (problems.length) {
              failures.push(
                `${c.method} ${c.path.slice(0, 80)} ${(c.body ?? '').slice(0, 80)} → ${problems.join(', ')}: ${answer.text.slice(0, 200)}`
              );
            }
            return problems.length === 0;
          }),
          { numRuns: CASES, seed: 20261130, endOnFailure: true }
        );
        await Promise.all(clients.map(({ agent }) => agent.close()));
        const lasting = residentBytes(server.pid) - baseline;
        const rise = Math.max(peak, residentBytes(server.pid)) - baseline;
        const after = rows();
        const logged = server.output();
        count.failures = failures.length;
        count.name = `fuzzed OAuth requests (registration, token, revocation, authorization, consent: ${created} registrations accepted; resident ${mb(baseline)}: after ${lasting < 0 ? '-' : '+'}${mb(Math.abs(lasting))}, peak +${mb(Math.max(0, rise))})`;
        assert.deepEqual(failures, []);
        assert.equal(
          (await fetch(`${base}/.well-known/oauth-authorization-server`)).status,
          200,
          'still answering'
        );
        assert.doesNotMatch(logged, /OAuth endpoint failed|MCP request failed/);
        assert.deepEqual(
          after,
          { ...before, clients: before.clients + created },
          'stored: only the accepted registrations'
        );
        assert.ok(lasting <= LASTING_SLACK, `resident memory grew by ${mb(lasting)}`);
        assert.ok(rise <= PEAK_SLACK, `resident memory peaked ${mb(rise)} higher`);
        // The generator must reach every door and get past the first checks often, or it proves little.
        const at = (door: string, status: number) => statuses.get(`${door} ${status}`) ?? 0;
        assert.ok(created >= 50, `registrations accepted: ${created}`);
        assert.ok(
          at('registration', 400) >= 200 && at('registration', 413) >= 20,
          JSON.stringify([...statuses])
        );
        assert.ok(at('token', 400) + at('token', 401) >= 500, JSON.stringify([...statuses]));
        assert.ok(
          at('authorization', 302) >= 100 && at('authorization', 400) >= 100,
          JSON.stringify([...statuses])
        );
        assert.ok(at('consent', 400) >= 200 && at('revocation', 200) >= 200, JSON.stringify([...statuses]));
      }
    ));
});
