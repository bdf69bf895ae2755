/**
 * The OAuth clients' browser tests share this: the test Home Assistant, the server against it and Chromium
 * for a describe block; and what a person does in the browser during a sign-in: log in on Home Assistant's
 * own login page, then allow the client on the add-on's consent page.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright';
import { testHa, type TestHaInfo } from '../ha/fixture.js';
import { startServer, type RunningServer, PLAIN_USERS } from '../server-process.js';
import { launchChromium, SHOTS } from './panel-fixture.js';

export interface OAuthWorld {
  ha: TestHaInfo;
  server: RunningServer;
  browser: Browser;
}

/** Started before the block's tests and stopped after them; read its fields inside the tests. */
export function useOAuthWorld(): OAuthWorld {
  const world = {} as OAuthWorld;
  before(async () => {
    world.ha = await testHa();
    world.server = await startServer({ HA_URL: world.ha.url, HA_TOKEN: world.ha.adminToken }, PLAIN_USERS);
    await world.server.waitForLog(/Home Assistant model ready/);
    world.browser = await launchChromium();
  });
  after(async () => {
    await world.browser?.close();
    await world.server?.stop();
  });
  return world;
}

export interface SignIn {
  haUrl: string;
  user: { username: string; password: string };
  /** The HA user's name as the consent page shows it. */
  shownAs: RegExp;
  /** Screenshot names get this prefix. */
  label: string;
}

/** From the authorization URL a client opened to the moment the browser is sent back to the client. */
export async function signInAtHa(page: Page, authorizeUrl: string, sign: SignIn): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.goto(authorizeUrl);
  // Home Assistant's own login page.
  assert.equal(new URL(page.url()).origin, new URL(sign.haUrl).origin);
  await page.getByRole('textbox', { name: 'Username' }).fill(sign.user.username);
  await page.getByRole('textbox', { name: 'Password' }).fill(sign.user.password);
  await page.screenshot({ path: join(SHOTS, `${sign.label}-ha-login.png`) });
  await page.getByRole('button', { name: /log in/i }).click();
  // The add-on's consent page.
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  assert.match(await page.locator('main').innerText(), sign.shownAs);
  await page.screenshot({ path: join(SHOTS, `${sign.label}-consent.png`) });
  await page.getByRole('button', { name: 'Allow' }).click();
}
