/**
 * Checks an Assist tool's arguments before anything reaches HA (HA's REST intent endpoint answers malformed
 * slots with a 500), with defaults filled in, and words the first problem as HA's own schemas do. The
 * checking itself is the shared one (llm/arguments.ts).
 */
import type { ErrorObject } from 'ajv';
import type { JsonSchemaObject } from '../api.js';
import { argumentErrors } from '../arguments.js';

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
  const errors = argumentErrors(schema, args, 'fill-defaults');
  return errors && describe(errors[0]!);
}
