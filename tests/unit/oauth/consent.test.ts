/**
 * Home Assistant's answer and the user's consent: who signed in is learnt from HA's code (and HA's
 * failures are told apart), the consent page's view, and the consent POST, which only the page this server
 * rendered can make (its CSRF token and the Origin checked). An approval stores a grant (read-only unless
 * control was asked for and left ticked) and sends a single code back to the client.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HaAwayError, HaRefusedError } from '../../../server/src/ha/errors.js';
import {
  ISSUER,
  location,
  ORIGIN,
  oauthHarness,
  pageMessage,
  START,
  startSignIn,
  toConsent,
  urls,
  type Harness,
} from '../../support/oauth-fixture.js';

const harness = oauthHarness();
const EXPIRED = 'This sign-in has expired or is unknown. Start again from your client.';
const FORGED = 'This approval did not come from the page this server showed. Start again from your client.';

describe('Home Assistant’s answer', () => {
  it('exchanges HA’s code as the add-on’s client, learns the user, and shows the consent view', async () => {
    const whoIs: string[] = [];
    const h2 = harness({
      whoIs: async (token) => {
        whoIs.push(token);
        return { id: 'user-7', name: 'Paulus', is_admin: true };
      },
    });
    h2.ha.onExchange = async () => ({ access_token: 'ha-at', refresh_token: 'ha-rt', expires_in: 1800 });
    const s2 = await startSignIn(h2);
    const consent = await h2.server.haCallback({ state: s2.request, code: 'the-ha-code' });
    assert.ok('csrf' in consent);
    assert.deepEqual(h2.ha.calls, [{ op: 'exchangeCode', code: 'the-ha-code', clientId: `${ISSUER}/` }]);
    assert.deepEqual(whoIs, ['ha-at']);
    assert.match(consent.csrf, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(consent.csrf, s2.request);
    assert.deepEqual(consent, {
      requestId: s2.request,
      csrf: consent.csrf,
      clientName: s2.clientId,
      clientId: s2.clientId,
      returnsTo: 'http://127.0.0.1:40111',
      userName: 'Paulus',
      wantsControl: true,
      isAdmin: true,
    });
  });

  it('knows only the sign-ins it started', async () => {
    const started = await startSignIn(harness());
    assert.equal(
      await pageMessage(harness().server.haCallback({ state: started.request, code: 'x' })),
      EXPIRED
    );
  });

  it('names a registered client by its registered name', async () => {
    const h = harness();
    const clientId = h.server.register({
      redirect_uris: ['http://127.0.0.1/callback'],
      client_name: 'Cursor',
    }).client_id as string;
    const { view } = await toConsent(h, { redirect_uri: 'http://127.0.0.1:4444/callback' }, clientId);
    assert.equal(view.clientName, 'Cursor');
    assert.equal(view.isAdmin, false);
  });

  it('says a sign-in it does not know has expired', async () => {
    const h = harness();
    await startSignIn(h);
    for (const query of [{}, { code: 'c' }, { state: '', code: 'c' }, { state: 'nope', code: 'c' }]) {
      assert.equal(await pageMessage(h.server.haCallback(query)), EXPIRED, JSON.stringify(query));
    }
    assert.deepEqual(h.ha.calls, []);
  });

  it('sends the client back with access_denied when the login at HA was not completed, once', async () => {
    const h = harness();
    const started = await startSignIn(h);
    const back = location(await h.server.haCallback({ state: started.request }));
    assert.equal(`${back.origin}${back.pathname}`, 'http://127.0.0.1:40111/callback');
    assert.deepEqual(Object.fromEntries(back.searchParams), {
      error: 'access_denied',
      error_description: 'the sign-in at Home Assistant was not completed',
      state: 'abc',
    });
    assert.equal(await pageMessage(h.server.haCallback({ state: started.request, code: 'c' })), EXPIRED);
    assert.deepEqual(h.ha.calls, []);
  });

  const failure = async (setup: (h: Harness) => void) => {
    const h = harness();
    setup(h);
    const started = await startSignIn(h);
    return pageMessage(h.server.haCallback({ state: started.request, code: 'c' }));
  };
  const UNCONFIRMED = 'Home Assistant did not confirm the sign-in. Start again from your client.';

  it('says HA is unavailable when it cannot be reached', async () => {
    const message = await failure((h) => {
      h.ha.onExchange = async () => {
        throw new HaAwayError();
      };
    });
    assert.equal(message, 'Home Assistant is unavailable. Start again from your client.');
  });

  it('says HA did not confirm the sign-in when it refuses the code', async () => {
    const message = await failure((h) => {
      h.ha.onExchange = async () => {
        throw new HaRefusedError('Home Assistant answered 400: {"error":"invalid_grant"}', { status: 400 });
      };
    });
    assert.equal(message, UNCONFIRMED);
  });

  it('says HA did not confirm the sign-in when something else fails', async () => {
    const message = await failure((h) => {
      h.ha.onExchange = async () => {
        throw new Error('boom');
      };
    });
    assert.equal(message, UNCONFIRMED);
  });

  it('refuses a sign-in for which HA issued no refresh token', async () => {
    const message = await failure((h) => {
      h.ha.onExchange = async () => ({ access_token: 'ha-at', expires_in: 1800 });
    });
    assert.equal(message, UNCONFIRMED);
  });

  it('refuses a sign-in when HA does not know the token it just issued', async () => {
    const message = await failure((h) => {
      h.user = undefined;
    });
    assert.equal(message, UNCONFIRMED);
  });
});

describe('consent', () => {
  const approveForm = (started: Awaited<ReturnType<typeof toConsent>>, extra = {}) => ({
    request: started.request,
    csrf: started.view.csrf,
    decision: 'approve',
    control: 'on',
    ...extra,
  });

  it('accepts the page’s own form: the right CSRF token from this server’s origin', async () => {
    const h = harness();
    const started = await toConsent(h);
    const back = location(h.server.consent(approveForm(started), ORIGIN, urls));
    assert.equal(`${back.origin}${back.pathname}`, 'http://127.0.0.1:40111/callback');
    assert.deepEqual([...back.searchParams.keys()], ['code', 'state', 'iss']);
    assert.match(back.searchParams.get('code')!, /^hamcp_ac_[A-Za-z0-9_-]{43}$/);
    assert.equal(back.searchParams.get('state'), 'abc');
    assert.equal(back.searchParams.get('iss'), ISSUER);
  });

  it('accepts the right CSRF token when the browser sent no Origin', async () => {
    const h = harness();
    const started = await toConsent(h);
    assert.ok(location(h.server.consent(approveForm(started), undefined, urls)).searchParams.get('code'));
  });

  it('refuses a consent without the page’s CSRF token, even from the right Origin', async () => {
    const h = harness();
    const started = await toConsent(h);
    for (const csrf of [undefined, '']) {
      const post = () => h.server.consent(approveForm(started, { csrf }), ORIGIN, urls);
      assert.equal(await pageMessage(post), FORGED);
    }
    assert.deepEqual(h.store.grants(), []);
  });

  it('refuses a consent with a wrong CSRF token, even from the right Origin', async () => {
    const h = harness();
    const started = await toConsent(h);
    const other = await toConsent(h);
    const right = started.view.csrf;
    for (const csrf of [
      other.view.csrf,
      `${right.slice(0, -1)}${right.endsWith('A') ? 'B' : 'A'}`,
      right.slice(1),
      `${right}x`,
      started.request,
    ]) {
      assert.equal(
        await pageMessage(() => h.server.consent(approveForm(started, { csrf }), ORIGIN, urls)),
        FORGED,
        csrf
      );
    }
    assert.deepEqual(h.store.grants(), []);
  });

  it('refuses a consent posted from another origin, even with the right CSRF token', async () => {
    const h = harness();
    const started = await toConsent(h);
    for (const origin of ['https://evil.example', 'null', 'http://mcp.example.org', `${ORIGIN}:8443`, '']) {
      assert.equal(
        await pageMessage(() => h.server.consent(approveForm(started), origin, urls)),
        FORGED,
        origin
      );
    }
    assert.deepEqual(h.store.grants(), []);
  });

  it('lets the user still approve after a forged post was refused', async () => {
    const h = harness();
    const started = await toConsent(h);
    assert.equal(
      await pageMessage(() => h.server.consent(approveForm(started, { csrf: 'forged' }), ORIGIN, urls)),
      FORGED
    );
    assert.ok(location(h.server.consent(approveForm(started), ORIGIN, urls)).searchParams.get('code'));
  });

  it('refuses a consent for a sign-in it does not know, or one HA has not answered yet', async () => {
    const h = harness();
    const started = await toConsent(h);
    for (const request of [undefined, '', 'nope']) {
      assert.equal(
        await pageMessage(() => h.server.consent(approveForm(started, { request }), ORIGIN, urls)),
        EXPIRED,
        String(request)
      );
    }
    const early = await startSignIn(h);
    const post = () =>
      h.server.consent({ request: early.request, csrf: 'x', decision: 'approve' }, ORIGIN, urls);
    assert.equal(await pageMessage(post), EXPIRED);
  });

  it('takes one answer per sign-in', async () => {
    const h = harness();
    const started = await toConsent(h);
    location(h.server.consent(approveForm(started), ORIGIN, urls));
    assert.equal(await pageMessage(() => h.server.consent(approveForm(started), ORIGIN, urls)), EXPIRED);
    assert.equal(h.store.grants().length, 1);
  });

  it('sends the client back with access_denied when the user declines, and stores nothing', async () => {
    const h = harness();
    for (const decision of ['deny', undefined, 'Approve']) {
      const started = await toConsent(h);
      const back = location(h.server.consent(approveForm(started, { decision }), ORIGIN, urls));
      assert.deepEqual(Object.fromEntries(back.searchParams), {
        error: 'access_denied',
        error_description: 'the user declined',
        state: 'abc',
        iss: ISSUER,
      });
      assert.equal(await pageMessage(() => h.server.consent(approveForm(started), ORIGIN, urls)), EXPIRED);
    }
    assert.deepEqual(h.store.grants(), []);
  });

  it('stores a grant with control when it was asked for and left ticked', async () => {
    const h = harness();
    h.user = { id: 'user-7', name: 'Paulus', is_admin: true };
    h.advance(5_000);
    const started = await toConsent(h);
    h.server.consent(approveForm(started), ORIGIN, urls);
    const [grant, ...more] = h.store.grants();
    assert.deepEqual(more, []);
    assert.ok(grant);
    assert.match(grant.id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(typeof grant.haRefreshToken, 'string');
    assert.equal(grant.haRefreshToken.includes('ha-refresh'), false, 'HA’s refresh token is sealed');
    assert.deepEqual(
      { ...grant, id: '', haRefreshToken: '' },
      {
        id: '',
        clientId: started.clientId,
        clientName: started.clientId,
        userId: 'user-7',
        userName: 'Paulus',
        isAdmin: true,
        scope: ['homeassistant.read', 'homeassistant.control'],
        resource: `${ISSUER}/api/mcp`,
        haClientId: `${ISSUER}/`,
        haRefreshToken: '',
        created: START + 5_000,
        lastUsed: null,
      }
    );
    assert.deepEqual(h.server.grants(), [
      {
        id: grant.id,
        clientId: started.clientId,
        clientName: started.clientId,
        userId: 'user-7',
        userName: 'Paulus',
        readOnly: false,
        created: START + 5_000,
        lastUsed: null,
      },
    ]);
  });

  it('stores a read-only grant when the user unticked control', async () => {
    const h = harness();
    for (const control of [undefined, 'off', '']) {
      const started = await toConsent(h);
      h.server.consent(approveForm(started, { control }), ORIGIN, urls);
    }
    const grants = h.store.grants();
    assert.equal(grants.length, 3);
    for (const grant of grants) assert.deepEqual(grant.scope, ['homeassistant.read']);
    for (const summary of h.server.grants()) assert.equal(summary.readOnly, true);
  });

  it('stores a read-only grant when the client asked to read only, whatever the form says', async () => {
    const h = harness();
    const started = await toConsent(h, { scope: 'homeassistant.read' });
    h.server.consent(approveForm(started, { control: 'on' }), ORIGIN, urls);
    assert.deepEqual(h.store.grants()[0]?.scope, ['homeassistant.read']);
  });

  it('lists grants newest first', async () => {
    const h = harness();
    const first = await toConsent(h);
    h.server.consent(approveForm(first), ORIGIN, urls);
    h.advance(1_000);
    const second = await toConsent(h);
    h.server.consent(approveForm(second, { control: undefined }), ORIGIN, urls);
    assert.deepEqual(
      h.server.grants().map((g) => [g.clientId, g.readOnly, g.created]),
      [
        [second.clientId, true, START + 1_000],
        [first.clientId, false, START],
      ]
    );
  });
});
