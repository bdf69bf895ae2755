/**
 * Request bodies and query strings, checked at the boundary with zod. Bodies must be JSON: besides being
 * what the panel sends, a cross-site form cannot send `application/json` without a preflight, so a page
 * elsewhere cannot make a logged-in admin's browser change settings.
 */
import type { Context } from 'hono';
import * as z from 'zod';
import { ApiError, invalidInput } from './errors.js';

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'Unsupported Media Type: send the body as application/json');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, 'the body is not valid JSON');
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}

/** The query string, without empty parameters (a form sends `user=` for "any user"), checked by `schema`. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ''));
  const result = schema.safeParse(query);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}
