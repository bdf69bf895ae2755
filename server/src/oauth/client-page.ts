/**
 * IndieAuth's second way for a URL client id to own a redirect URI on another host: its home page lists it
 * as `<link rel="redirect_uri" href="...">`, as Home Assistant reads it. Only the
 * first 10 kB of the page are read, fetched with the care of safe-fetch.ts.
 */
import { fetchText, type SafeFetchOptions } from './safe-fetch.js';

const LINK_TAG = /<link\b[^>]*>/gi;
const attribute = (tag: string, name: string) =>
  new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
    .exec(tag)
    ?.slice(1)
    .find((v) => v !== undefined);

/** The redirect URIs a client's page lists, resolved against the page's URL. */
export function redirectLinks(page: string, base: URL): string[] {
  const found: string[] = [];
  for (const tag of page.match(LINK_TAG) ?? []) {
    const rel = attribute(tag, 'rel')?.toLowerCase().split(/\s+/) ?? [];
    const href = attribute(tag, 'href');
    if (!rel.includes('redirect_uri') || !href) continue;
    try {
      found.push(new URL(href.replace(/&amp;/g, '&'), base).toString());
    } catch {
      // not a URL: not a redirect URI either
    }
  }
  return found;
}

export async function fetchRedirectLinks(
  clientId: string,
  options: SafeFetchOptions = {}
): Promise<string[]> {
  const url = new URL(clientId);
  const page = await fetchText(url, 'text/html', { maxBytes: 10 * 1024, truncate: true, ...options });
  return redirectLinks(page, url);
}
