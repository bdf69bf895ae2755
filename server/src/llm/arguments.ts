/**
 * The one checker of tool arguments against a tool's JSON Schema, for every LLM API and the MCP edge. Schemas
 * are data rebuilt as the home changes (enums hold entity and area names), so compiled checks are kept per
 * schema text in a bounded cache: the oldest goes when it is full, and a changing home never grows it.
 *
 * Two ways to check, one per caller:
 * - `fill-defaults`: stop at the first problem and fill in defaults, as HA's own schemas do before an intent
 *   runs (the Assist tools word the problem as HA does);
 * - `report-all`: every problem, in AJV's words, the arguments left as they came (the MCP edge).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchemaObject } from './api.js';

export type CheckMode = 'fill-defaults' | 'report-all';

/** Compiled checks kept at most; a home's tools need a few dozen. */
export const MAX_CACHED_CHECKS = 256;

const validators: Record<CheckMode, Ajv> = {
  'fill-defaults': new Ajv({ allErrors: false, strict: false, useDefaults: true }),
  'report-all': new Ajv({ allErrors: true, strict: false }),
};
const cache = new Map<string, ValidateFunction>();

function compiled(schema: JsonSchemaObject, mode: CheckMode): ValidateFunction {
  const key = `${mode} ${JSON.stringify(schema)}`;
  let check = cache.get(key);
  if (check) {
    // Most recently used last, so the oldest is the first to go.
    cache.delete(key);
  } else {
    check = validators[mode].compile(schema);
    if (cache.size >= MAX_CACHED_CHECKS) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, check);
  return check;
}

/** What is wrong with the arguments, or `undefined` when they fit (in `fill-defaults`, defaults filled in). */
export function argumentErrors(
  schema: JsonSchemaObject,
  args: Record<string, unknown>,
  mode: CheckMode
): ErrorObject[] | undefined {
  const check = compiled(schema, mode);
  return check(args) ? undefined : (check.errors ?? []);
}

/** Every problem with the arguments in AJV's words (`data/level must be number, ...`), or `undefined`. */
export function argumentProblem(schema: JsonSchemaObject, args: Record<string, unknown>): string | undefined {
  const errors = argumentErrors(schema, args, 'report-all');
  return errors && validators['report-all'].errorsText(errors);
}

/** How many compiled checks are kept now (for tests of the bound). */
export const cachedChecks = (): number => cache.size;
