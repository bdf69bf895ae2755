/**
 * What a person does in the browser during an OAuth sign-in: log in on Home Assistant's own login page,
 * then allow the client on the add-on's consent page. Shared by the tests of each OAuth client.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS } from './panel-fixture.js';

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
