/**
 * Which client a principal is using. MCP clients name themselves in `initialize` (or, from the 2026
 * protocol, in each request's client info); later requests on other connections often do not, so the MCP
 * layer remembers the name per (user, user agent) and recalls it for those requests. In memory only, and
 * bounded: the least recently used pair is forgotten first.
 */

export interface ClientInfo {
  name: string;
  version?: string | null;
  protocolVersion?: string | null;
}

export const CLIENT_MEMORY_SIZE = 1000;

export class ClientMemory {
  // A Map iterates in insertion order; re-inserting on each use keeps the least recently used first.
  readonly #clients = new Map<string, ClientInfo>();

  constructor(readonly capacity = CLIENT_MEMORY_SIZE) {}

  get size(): number {
    return this.#clients.size;
  }

  remember(userId: string, userAgent: string | null | undefined, client: ClientInfo): void {
    const key = keyOf(userId, userAgent);
    this.#clients.delete(key);
    this.#clients.set(key, { ...client });
    if (this.#clients.size > this.capacity) {
      const oldest = this.#clients.keys().next();
      if (!oldest.done) this.#clients.delete(oldest.value);
    }
  }

  recall(userId: string, userAgent: string | null | undefined): ClientInfo | undefined {
    const key = keyOf(userId, userAgent);
    const client = this.#clients.get(key);
    if (client) {
      this.#clients.delete(key);
      this.#clients.set(key, client);
    }
    return client;
  }
}

function keyOf(userId: string, userAgent: string | null | undefined): string {
  // NUL cannot occur in a header value, so the pair cannot be confused with another.
  return `${userId}\u0000${userAgent ?? ''}`;
}
