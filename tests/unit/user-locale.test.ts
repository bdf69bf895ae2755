/**
 * The viewer's HA profile language (ha/user-locale.ts, admin/locale.ts): what HA's profile page saves is
 * read as it is, anything else is no choice; in an add-on it comes from HA's storage for the user the
 * ingress names, standalone from the token's own user; and nothing about it ever fails the panel.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LocaleAnswer } from '../../server/src/admin/contract.js';
import {
  OWN_LOCALE_TIMEOUT_MS,
  ownUserLocale,
  storedUserLocale,
  userLocaleOf,
} from '../../server/src/ha/user-locale.js';
import { USERS, adminWorld } from '../support/admin-fixture.js';
import { tempDirs } from '../support/temp-dirs.js';

const newDir = tempDirs('user-locale');

/** What HA's profile page saves under the `language` key. */
const SAVED = {
  language: 'de',
  number_format: 'decimal_comma',
  time_format: '24',
  date_format: 'language',
  time_zone: 'local',
  first_weekday: 'language',
};

/** An HA config folder with one user's frontend data, as HA's Store writes it. */
function configWith(userId: string, data: unknown): string {
  const dir = newDir();
  mkdirSync(join(dir, '.storage'));
  writeFileSync(
    join(dir, '.storage', `frontend.user_data_${userId}`),
    typeof data === 'string'
      ? data
      : JSON.stringify({ version: 1, minor_version: 1, key: `frontend.user_data_${userId}`, data })
  );
  return dir;
}

describe('the profile’s language', () => {
  it('reads what HA’s profile page saves', () => {
    assert.deepEqual(userLocaleOf(SAVED), {
      language: 'de',
      numberFormat: 'decimal_comma',
      timeFormat: '24',
    });
    assert.deepEqual(userLocaleOf({ language: 'pt_BR' }), {
      language: 'pt-BR',
      numberFormat: 'language',
      timeFormat: 'language',
    });
  });

  it('takes anything else as no choice, or as the language’s own formats', () => {
    for (const value of [null, 'de', 42, {}, { language: '' }, { language: 'de/../x' }, { language: 7 }]) {
      assert.equal(userLocaleOf(value), null, JSON.stringify(value));
    }
    assert.deepEqual(userLocaleOf({ language: 'fr', number_format: 'weird', time_format: 13 }), {
      language: 'fr',
      numberFormat: 'language',
      timeFormat: 'language',
    });
  });

  it('reads a user’s choice from HA’s storage, and nothing from a missing, broken or foreign file', async () => {
    const id = '0123456789abcdef0123456789abcdef';
    assert.equal((await storedUserLocale(configWith(id, { language: SAVED }), id))?.language, 'de');
    assert.equal(await storedUserLocale(configWith(id, {}), id), null, 'never chose');
    assert.equal(await storedUserLocale(configWith(id, '{"data": '), id), null, 'half a file');
    assert.equal(await storedUserLocale(newDir(), id), null, 'no file');
    // An id that is not one never names a file outside the user data.
    const dir = configWith('x', { language: SAVED });
    mkdirSync(join(dir, 'sub'));
    assert.equal((await storedUserLocale(dir, 'x'))?.language, 'de');
    // From `sub`, this id would name the folder above's file once joined.
    const escape = 'x/../../../.storage/frontend.user_data_x';
    for (const bad of [escape, 'x/..', '', 'a'.repeat(65)]) {
      assert.equal(await storedUserLocale(join(dir, 'sub'), bad), null, bad);
    }
  });
});

describe('GET /api/admin/locale', () => {
  const localeOf = async (res: Response) => {
    assert.equal(res.status, 200);
    return ((await res.json()) as LocaleAnswer).profile;
  };

  it('in an add-on, answers the profile of the user the ingress names, from HA’s config folder', async () => {
    const haConfigDir = configWith(USERS.guest.id, { language: { ...SAVED, language: 'nl' } });
    const { call, ha } = adminWorld({ overrides: { haConfigDir } });
    assert.equal((await localeOf(await call('/api/admin/locale', { user: 'guest' })))?.language, 'nl');
    assert.equal(await localeOf(await call('/api/admin/locale', { user: 'owner' })), null, 'never chose');
    assert.equal(await localeOf(await call('/api/admin/locale')), null, 'no user named');
    assert.equal(ha.sentOf('frontend/get_user_data').length, 0, 'the link is the add-on’s, not theirs');
  });

  it('in an add-on without HA’s config folder, answers no choice', async () => {
    const { call } = adminWorld();
    assert.equal(await localeOf(await call('/api/admin/locale', { user: 'guest' })), null);
  });

  it('standalone, answers the profile of the token’s user, and no choice while HA is away', async () => {
    const { call, ha } = adminWorld({ mode: 'standalone' });
    ha.userData.language = { ...SAVED, language: 'es', time_format: '12' };
    assert.deepEqual(await localeOf(await call('/api/admin/locale', { peer: '127.0.0.1' })), {
      language: 'es',
      numberFormat: 'decimal_comma',
      timeFormat: '12',
    });
    assert.deepEqual(ha.sentOf('frontend/get_user_data').at(-1), {
      type: 'frontend/get_user_data',
      key: 'language',
    });
    ha.down = true;
    assert.equal(await localeOf(await call('/api/admin/locale', { peer: '127.0.0.1' })), null);
    // A Home Assistant that hangs is not waited for long: the panel draws nothing until it has an answer.
    let limit: number | undefined;
    await ownUserLocale(async (_message, timeoutMs) => {
      limit = timeoutMs;
      return { value: null } as never;
    });
    assert.equal(limit, OWN_LOCALE_TIMEOUT_MS);
    assert.ok(OWN_LOCALE_TIMEOUT_MS <= 2_000);
    ha.down = false;
    ha.refuse = { code: 'unknown_command', message: 'Unknown command.' };
    assert.equal(await localeOf(await call('/api/admin/locale', { peer: '127.0.0.1' })), null);
  });
});
