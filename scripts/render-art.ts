/**
 * Renders the add-on store's pictures from their sources: docs/art/icon.svg to icon.png and
 * docs/art/logo.svg to logo.png, at the repository root where the Supervisor looks for them, each at the
 * size its SVG declares (the icon 128×128, the logo 250×100). Run it after changing an SVG, look at the PNGs,
 * and commit them with it:
 *
 *   node --import tsx scripts/render-art.ts
 *
 * Drawn by Debian's Chromium with the browser tests' flags (tests/support/browser/chromium.ts). The logo's
 * words are set in Roboto, Home Assistant's typeface (Debian: fonts-roboto-unhinted); without it Chromium
 * would quietly use another font, so the script stops instead.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../tests/support/browser/chromium.js';
import { at } from '../tests/support/paths.js';

const ART = [
  { source: 'docs/art/icon.svg', png: 'icon.png' },
  { source: 'docs/art/logo.svg', png: 'logo.png' },
];

function fail(message: string): never {
  process.stderr.write(`render-art: ${message}\n`);
  process.exit(1);
}

const roboto = spawnSync('fc-list', ['Roboto:style=Bold', 'family'], { encoding: 'utf8' });
if (!/\bRoboto\b/.test(roboto.stdout ?? '')) {
  fail('the logo needs the Roboto font: apt-get install fonts-roboto-unhinted');
}

/** The pixel size an SVG declares on its root element. */
function declaredSize(svg: string, source: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\bwidth="(\d+)"/.exec(root)?.[1]);
  const height = Number(/\bheight="(\d+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) fail(`${source} declares no width and height in pixels on <svg>`);
  return { width, height };
}

const browser = await launchChromium();
try {
  for (const { source, png } of ART) {
    const size = declaredSize(readFileSync(at(source), 'utf8'), source);
    const page = await browser.newPage({ viewport: size, deviceScaleFactor: 1 });
    // Opened as a file, so the logo's <image href="icon.svg"> finds the icon beside it.
    await page.goto(pathToFileURL(at(source)).href);
    // A string, not a function: the scripts are type-checked without the DOM's types.
    await page.evaluate('document.fonts.ready');
    await page.screenshot({ path: at(png), omitBackground: true });
    await page.close();
    process.stderr.write(`render-art: ${source} -> ${png} (${size.width}×${size.height})\n`);
  }
} finally {
  await browser.close();
}
