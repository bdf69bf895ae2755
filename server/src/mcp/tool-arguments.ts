/**
 * Checks tool arguments against the tool's JSON Schema with the SDK's own validator (AJV on Node), so a
 * tool never runs on arguments its schema refuses. Schemas are data rebuilt per request, so compiled
 * checks are kept per schema text, a bounded number of them.
 */
import { fromJsonSchema, type JsonSchemaType } from '@modelcontextprotocol/server';
import type { JsonSchemaObject } from '../llm/api.js';

type Check = (args: unknown) => string | undefined;

const MAX_CACHED = 256;
const cache = new Map<string, Check>();

function compile(schema: JsonSchemaObject): Check {
  const validate = fromJsonSchema(schema as JsonSchemaType)['~standard'].validate;
  return (args) => {
    const result = validate(args);
    if (result instanceof Promise) return undefined; // the AJV validator is synchronous
    return result.issues ? result.issues.map((issue) => issue.message).join('; ') : undefined;
  };
}

/** `undefined` when the arguments fit the schema, else what is wrong with them. */
export function argumentProblem(schema: JsonSchemaObject, args: Record<string, unknown>): string | undefined {
  const key = JSON.stringify(schema);
  let check = cache.get(key);
  if (!check) {
    check = compile(schema);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, check);
  }
  return check(args);
}
