/**
 * Client ID Metadata Documents: a client whose id is an https URL serves, at that URL, a JSON document
 * naming itself and its redirect URIs, fetched with the care of safe-fetch.ts (https, public addresses
 * only, no redirects); at most 5 kB.
 */
import * as z from 'zod';
import { acceptableRedirectUri, isMetadataDocumentId } from './redirect.js';
import { fetchText, SafeFetchError, type SafeFetchOptions } from './safe-fetch.js';

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

export async function fetchClientMetadata(
  clientId: string,
  options: SafeFetchOptions = {}
): Promise<ClientMetadata> {
  if (!isMetadataDocumentId(clientId)) {
    throw new ClientMetadataError('a client metadata document URL must be https with a path');
  }
  let text: string;
  try {
    text = await fetchText(new URL(clientId), 'application/json', { maxBytes: 5 * 1024, ...options });
  } catch (err) {
    if (err instanceof SafeFetchError) {
      throw new ClientMetadataError(
        err.tooLarge ? `the client metadata document ${err.message}` : err.message
      );
    }
    throw err;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ClientMetadataError('the client metadata document is not JSON');
  }
  return parseClientMetadata(clientId, body);
}
