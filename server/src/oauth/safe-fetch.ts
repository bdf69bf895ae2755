/**
 * Fetching a URL a client chose (its metadata document, its home page), without letting it reach inside the
 * home: https only; the host's addresses resolved here and refused unless public (unless the owner allows
 * private ones), and the connection made to the address that was checked (no DNS rebinding); no redirects;
 * bounded in size and time.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './address.js';

export class SafeFetchError extends Error {
  override name = 'SafeFetchError';
  constructor(
    message: string,
    readonly tooLarge = false
  ) {
    super(message);
  }
}

export interface SafeFetchOptions {
  /** Resolves a host name to its addresses (default: the system resolver). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
  /** Lets private or loopback addresses through (an option for homes that need it; tests). */
  allowPrivate?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Keep the first `maxBytes` and stop, instead of refusing a longer answer (an HTML page's head). */
  truncate?: boolean;
  /** Extra trusted certificates (tests). */
  ca?: string;
}

export async function fetchText(url: URL, accept: string, options: SafeFetchOptions = {}): Promise<string> {
  if (url.protocol !== 'https:') throw new SafeFetchError(`${url.origin} is not https`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const resolve = options.resolve ?? ((name: string) => dnsLookup(name, { all: true }));
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await resolve(host).catch(() => []);
  if (addresses.length === 0) throw new SafeFetchError(`${host} does not resolve`);
  if (!options.allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) {
    throw new SafeFetchError(`${host} points at a loopback or private address, which is not allowed`);
  }
  const chosen = addresses[0]!;
  // Connect to the address that was checked, whatever the resolver would say a second time.
  const pinned: LookupFunction = (_name, opts, callback) => {
    if ((opts as { all?: boolean }).all) callback(null, [{ address: chosen.address, family: chosen.family }]);
    else callback(null, chosen.address, chosen.family);
  };
  const maxBytes = options.maxBytes ?? 5 * 1024;
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise<string>((resolveText, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        lookup: pinned,
        headers: { accept },
        timeout: timeoutMs,
        ...(options.ca && { ca: options.ca }),
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new SafeFetchError(`${url.href} answered HTTP ${res.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => resolveText(Buffer.concat(chunks).toString('utf8').slice(0, maxBytes));
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          chunks.push(chunk);
          if (size > maxBytes) {
            req.destroy();
            if (options.truncate) done();
            else reject(new SafeFetchError(`is larger than ${maxBytes} bytes`, true));
          }
        });
        res.on('end', done);
      }
    );
    req.on('timeout', () =>
      req.destroy(new SafeFetchError(`no answer from ${url.host} within ${timeoutMs} ms`))
    );
    req.on('error', (err) =>
      reject(
        err instanceof SafeFetchError ? err : new SafeFetchError(`cannot fetch ${url.href}: ${err.message}`)
      )
    );
    req.end();
  });
}
