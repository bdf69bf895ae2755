/**
 * What the client channel (client-channel.ts) must remember between HTTP requests, since every Streamable
 * HTTP request gets a fresh server: the capabilities a 2025-era client declared when it initialized, the
 * questions waiting for a 2025-era client's answer, and the questions a 2026-era client will answer by
 * retrying its call. Each is bounded in size and in time, so no client can grow it without end.
 */
import { createHash } from 'node:crypto';
import type { ClientCapabilities } from '@modelcontextprotocol/server';

/** Whether capabilities allow a form-mode `elicitation/create`: `elicitation: {}` means form (2025-06-18). */
export function asksForms(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation as Record<string, unknown> | undefined;
  if (typeof elicitation !== 'object' || elicitation === null) return false;
  return elicitation.form !== undefined || elicitation.url === undefined;
}

/** A map that forgets its oldest entries beyond `max`, and entries older than `ttlMs` when read. */
export class BoundedMap<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }
}

/**
 * Which 2025-era client a stateless request comes from, as near as HTTP can tell: the token (its hash) and
 * the program (`User-Agent`). A stateless request carries nothing of the `initialize` that began its
 * conversation, so the capabilities it declared there are remembered under this key.
 */
export const clientKey = (tokenHash: string, userAgent: string | null | undefined): string =>
  `${tokenHash}\n${userAgent ?? ''}`;

/** JSON with sorted keys: equal arguments give equal text, whatever order the client wrote them in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a call is, for binding an answer to it: the tool and a digest of its arguments. */
export function callDigest(name: string, args: Record<string, unknown> | undefined): string {
  return createHash('sha256')
    .update(`${name}\n${canonical(args ?? {})}`)
    .digest('base64url');
}
