/**
 * Checks a tool's arguments against its JSON Schema before anything reaches HA (HA's REST intent endpoint
 * answers malformed slots with a 500). Compiled validators are cached per schema.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchemaObject } from '../api.js';

const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: true });
const compiled = new Map<string, ValidateFunction>();

/** Python-style list, as HA's messages show allowed values: ['a', 'b']. */
const pyList = (values: unknown[]) =>
  `[${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}]`;

function describe(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (error.keyword === 'enum') {
    return `value must be one of ${pyList(error.params.allowedValues as unknown[])} at '${path}'`;
  }
  if (error.keyword === 'required')
    return `required key not provided @ data['${error.params.missingProperty}']`;
  return `${error.message ?? 'invalid value'}${path ? ` at '${path}'` : ''}`;
}

/** `undefined` when the arguments fit (defaults filled in); else one message in HA's style. */
export function validateArguments(
  schema: JsonSchemaObject,
  args: Record<string, unknown>
): string | undefined {
  const key = JSON.stringify(schema);
  let check = compiled.get(key);
  if (!check) {
    check = ajv.compile(schema);
    compiled.set(key, check);
  }
  return check(args) ? undefined : describe(check.errors![0]!);
}
