/**
 * Debian's Chromium driven by Playwright, with the flags this machine needs (Playwright's own browser
 * downloads are not used). No test hooks here, so scripts can use it too.
 */
import { chromium, type Browser } from 'playwright';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
