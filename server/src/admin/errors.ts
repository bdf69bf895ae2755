/**
 * Errors mapped once, at the edge of the admin listener. Handlers throw; `mapErrors` answers JSON
 * `{ error }` (with `field` and `issues` for a bad body or query) and the status that fits. Home Assistant
 * or the request log being away is a 503 the panel can show as such; anything else is a bug: logged, and
 * answered with a bare 500, never a stack trace.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from 'zod';
import { HaAwayError, HaRefusedError } from '../ha/errors.js';
import type { Logger } from '../log.js';
import { StoreUnavailableError } from '../store/queries.js';
import type { ErrorAnswer, FieldIssue } from './contract.js';

/** A refusal with its status and message; `details` are added to the JSON body as they are. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    message: string,
    readonly details: Omit<ErrorAnswer, 'error'> = {}
  ) {
    super(status, { message });
  }
}

/** A 400 that names the field: `{ error: 'log_level: Invalid option: ...', field: 'log_level', issues }`. */
export function invalidInput(error: z.ZodError): ApiError {
  const issues: FieldIssue[] = error.issues.map((issue) => {
    // A key the schema does not know is the field to name, though zod reports it on the object.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    return { field: path.map(String).join('.'), message: issue.message };
  });
  const first = issues[0] ?? { field: '', message: 'invalid input' };
  return new ApiError(400, first.field ? `${first.field}: ${first.message}` : first.message, {
    field: first.field || null,
    issues,
  });
}

/** The Supervisor (or the disk, standalone) did not take the options. */
export class OptionsSaveError extends Error {
  override name = 'OptionsSaveError';
}

const refusal = (c: Context, error: string, status: ContentfulStatusCode) =>
  c.json({ error } satisfies ErrorAnswer, status);

/** `app.onError` for the admin listener. */
export const mapErrors = (log: Logger) =>
  function mapErrors(err: Error, c: Context): Response {
    if (err instanceof ApiError) {
      return c.json({ error: err.message, ...err.details } satisfies ErrorAnswer, err.status);
    }
    if (err instanceof HTTPException) return refusal(c, err.message || 'request refused', err.status);
    if (err instanceof HaAwayError || err instanceof StoreUnavailableError) {
      return refusal(c, err.message, 503);
    }
    if (err instanceof HaRefusedError) {
      log.warning('Home Assistant refused an admin command', { ...err.refusal });
      return refusal(c, err.message, 502);
    }
    if (err instanceof OptionsSaveError) {
      log.warning(`the options were not saved: ${err.message}`);
      return refusal(c, err.message, 502);
    }
    log.error('admin request failed', { method: c.req.method, path: c.req.path, error: err.message });
    return refusal(c, 'internal error', 500);
  };
