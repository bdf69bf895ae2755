import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudRemoteUrl, remoteUiUrl } from '../../server/src/ha/cloud-commands.js';
import { HaAwayError, HaRefusedError } from '../../server/src/ha/errors.js';

describe('Home Assistant Cloud’s remote address', () => {
  const on = { logged_in: true, remote_domain: 'abc.ui.nabu.casa', prefs: { remote_enabled: true } };

  it('is the instance domain while logged in with remote access on, as HA finds it', () => {
    assert.equal(remoteUiUrl(on), 'https://abc.ui.nabu.casa');
    // Before the remote backend has started, the domain in the preferences.
    assert.equal(
      remoteUiUrl({
        ...on,
        remote_domain: null,
        prefs: { remote_enabled: true, remote_domain: 'def.ui.nabu.casa' },
      }),
      'https://def.ui.nabu.casa'
    );
  });

  it('is none when logged out, with remote access off, or without a domain', () => {
    assert.equal(remoteUiUrl({ logged_in: false }), null);
    assert.equal(remoteUiUrl({ ...on, prefs: { remote_enabled: false } }), null);
    assert.equal(remoteUiUrl({ ...on, remote_domain: null, prefs: { remote_enabled: true } }), null);
  });

  it('is none without the cloud integration; Home Assistant away is still an error', async () => {
    const refused = async () => {
      throw new HaRefusedError('Unknown command.', { code: 'unknown_command' });
    };
    assert.equal(await cloudRemoteUrl(refused), null);
    assert.equal(await cloudRemoteUrl((async () => on) as never), 'https://abc.ui.nabu.casa');
    await assert.rejects(
      cloudRemoteUrl(async () => {
        throw new HaAwayError();
      }),
      HaAwayError
    );
  });
});
