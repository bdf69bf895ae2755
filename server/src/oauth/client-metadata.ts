/**
 * Client ID Metadata Documents: a client whose id is an https URL serves, at that URL, a JSON document
 * naming itself and its redirect URIs. The add-on fetches it with care, since the URL is the client's
 * choice: https only; the host's addresses resolved here and refused unless public (unless the owner
 * allows private ones), and the connection made to the address that was checked (no DNS rebinding); no
 * redirects; at most 5 kB in 5 s.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import * as z from 'zod';
import { isPublicAddress } from './address.js';
import { acceptableRedirectUri, isMetadataDocumentId } from './redirect.js';

export interface ClientMetadata {
  client_id: string;
  client_name?: string | undefined;
  client_uri?: string | undefined;
  redirect_uris: string[];
}

export class ClientMetadataError extends Error {
  override name = 'ClientMetadataError';
}

const Document = z.object({
  client_id: z.string(),
  client_name: z.string().max(200).optional(),
  client_uri: z.string().max(2_000).optional(),
  redirect_uris: z.array(z.string().max(2_000)).min(1).max(20),
});

/** The document's fields, once it is shown to describe this client id. */
export function parseClientMetadata(clientId: string, body: unknown): ClientMetadata {
  const parsed = Document.safeParse(body);
  if (!parsed.success) throw new ClientMetadataError('the client metadata document is not valid');
  if (parsed.data.client_id !== clientId) {
    throw new ClientMetadataError('the client metadata document names another client_id');
  }
  const bad = parsed.data.redirect_uris.find((uri) => !acceptableRedirectUri(uri));
  if (bad)
    throw new ClientMetadataError(`the client metadata document lists an unusable redirect URI: ${bad}`);
  return parsed.data;
}

export interface FetchOptions {
  /** Resolves a host name to its addresses (default: the system resolver). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
  /** Lets documents on private or loopback addresses through (an option for homes that need it; tests). */
  allowPrivate?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Extra trusted certificates (tests). */
  ca?: string;
}

export async function fetchClientMetadata(
  clientId: string,
  options: FetchOptions = {}
): Promise<ClientMetadata> {
  if (!isMetadataDocumentId(clientId)) {
    throw new ClientMetadataError('a client metadata document URL must be https with a path');
  }
  const url = new URL(clientId);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const resolve = options.resolve ?? ((name: string) => dnsLookup(name, { all: true }));
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await resolve(host).catch(() => []);
  if (addresses.length === 0) throw new ClientMetadataError(`${host} does not resolve`);
  if (!options.allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) {
    throw new ClientMetadataError(`${host} points at a loopback or private address, which is not allowed`);
  }
  const chosen = addresses[0]!;
  // Connect to the address that was checked, whatever the resolver would say a second time.
  const pinned: LookupFunction = (_name, opts, callback) => {
    if ((opts as { all?: boolean }).all) callback(null, [{ address: chosen.address, family: chosen.family }]);
    else callback(null, chosen.address, chosen.family);
  };
  const maxBytes = options.maxBytes ?? 5 * 1024;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const text = await new Promise<string>((resolveText, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        lookup: pinned,
        headers: { accept: 'application/json' },
        timeout: timeoutMs,
        ...(options.ca && { ca: options.ca }),
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new ClientMetadataError(`the client metadata document answered HTTP ${res.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            reject(new ClientMetadataError(`the client metadata document is larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolveText(Buffer.concat(chunks).toString('utf8')));
      }
    );
    req.on('timeout', () =>
      req.destroy(new ClientMetadataError(`no client metadata document within ${timeoutMs} ms`))
    );
    req.on('error', (err) =>
      reject(
        err instanceof ClientMetadataError
          ? err
          : new ClientMetadataError(`cannot fetch the client metadata document: ${err.message}`)
      )
    );
    req.end();
  });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ClientMetadataError('the client metadata document is not JSON');
  }
  return parseClientMetadata(clientId, body);
}
