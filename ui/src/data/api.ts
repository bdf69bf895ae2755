/**
 * The admin API (server/src/admin/, docs/decisions/006-admin-api.md), typed at the boundary with the
 * server's own contract (server/src/admin/contract.ts). Every URL is relative: the panel lives under an
 * ingress path that changes per installation.
 */

import type { ErrorAnswer } from '../../../server/src/admin/contract';
import { localize } from '../localize';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The option or parameter the message is about, when the server names one. */
    readonly field?: string
  ) {
    super(message);
  }
}

const BASE = './api/admin';

export async function api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: {
        accept: 'application/json',
        ...(init.json !== undefined && { 'content-type': 'application/json' }),
      },
      ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
    });
  } catch {
    throw new ApiError(0, localize('common.no_answer'));
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const { error, field } = (body ?? {}) as Partial<ErrorAnswer>;
    throw new ApiError(res.status, error ?? `HTTP ${res.status}`, field ?? undefined);
  }
  return body as T;
}

/** Query parameters: the contract's query types (`LogQuery`, `EntityQuery`, ...) are all of this kind. */
type Params<P> = { [K in keyof P]?: string | undefined };

/** `?a=1&b=2` for the parameters that have a value (or nothing). */
export function query<P extends Params<P>>(params: P): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params) as [string, string | undefined][]) {
    if (value) search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A URL for a download or an event stream, with the query the API takes. */
export function apiUrl<P extends Params<P>>(path: string, params?: P): string {
  return `${BASE}${path}${params ? query(params) : ''}`;
}
