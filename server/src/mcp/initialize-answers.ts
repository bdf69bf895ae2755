/**
 * The 2025-era `initialize` answer depends on nothing but the protocol version the client asks for: not the
 * caller, not the home, not the client's capabilities (our server declares fixed capabilities and no
 * instructions). So the SDK answers each requested version once and later handshakes reuse its result
 * with their own request id, skipping a server, a transport and their teardown per handshake (issue 8:
 * `initialize` was the one scenario slower than Home Assistant's own server under load).
 *
 * Only plain JSON answers are kept, and at most a few versions, so an odd client cannot grow the cache.
 */

const MAX_VERSIONS = 16;

interface InitializeRequest {
  id: string | number;
  version: string;
}

/** The request id and requested version of a 2025-era `initialize`, or undefined for anything else. */
export function initializeRequest(message: unknown): InitializeRequest | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { method, id, params } = message as { method?: unknown; id?: unknown; params?: unknown };
  if (method !== 'initialize' || (typeof id !== 'string' && typeof id !== 'number')) return undefined;
  const version = (params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  return typeof version === 'string' ? { id, version } : undefined;
}

export class InitializeAnswers {
  private readonly results = new Map<string, string>();

  /** A ready answer for this request, when the SDK has answered its version before. */
  answer(request: InitializeRequest): Response | undefined {
    const result = this.results.get(request.version);
    if (result === undefined) return undefined;
    const body = `{"jsonrpc":"2.0","id":${JSON.stringify(request.id)},"result":${result}}`;
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  }

  /** Keeps the SDK's answer to `request` when it is a plain JSON success; returns a response to send. */
  async learn(request: InitializeRequest, response: Response): Promise<Response> {
    const type = response.headers.get('content-type') ?? '';
    if (
      response.status !== 200 ||
      !type.startsWith('application/json') ||
      this.results.size >= MAX_VERSIONS
    ) {
      return response;
    }
    const text = await response.text();
    const parsed = JSON.parse(text) as { result?: unknown };
    if (parsed.result !== undefined) this.results.set(request.version, JSON.stringify(parsed.result));
    return new Response(text, { status: response.status, headers: response.headers });
  }
}
