/** A script's fields as a JSON Schema, the way HA's selector serializer turns selectors into schema. Pure. */
import type { JsonSchemaObject } from '../api.js';
import type { ScriptField } from '../../ha/types.js';

function selectorSchema(selector: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!selector) return { type: 'string' };
  const [kind, raw] = Object.entries(selector)[0] ?? ['text', {}];
  const config = (raw ?? {}) as Record<string, unknown>;
  const many = (schema: Record<string, unknown>) =>
    config.multiple
      ? { type: 'array', items: schema, ...(kind === 'select' ? { uniqueItems: true } : {}) }
      : schema;
  switch (kind) {
    case 'boolean':
      return { type: 'boolean' };
    case 'number': {
      const out: Record<string, unknown> = { type: 'number' };
      if (typeof config.min === 'number') out.minimum = config.min;
      if (typeof config.max === 'number') out.maximum = config.max;
      return out;
    }
    case 'select': {
      const options = ((config.options ?? []) as unknown[]).map((o) =>
        typeof o === 'object' && o !== null ? String((o as { value: unknown }).value) : String(o)
      );
      return many({ type: 'string', enum: options });
    }
    case 'entity':
      return many({ type: 'string', format: 'entity_id' });
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'time':
      return { type: 'string', format: 'time' };
    case 'template':
      return { type: 'string', format: 'jinja2' };
    case 'object':
      return { type: 'object', additionalProperties: true };
    default:
      return many({ type: 'string' });
  }
}

export function scriptSchema(fields: Record<string, ScriptField>): JsonSchemaObject {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    properties[key] = {
      ...selectorSchema(field.selector),
      description: field.description ?? field.name ?? key,
    };
    if (field.required) required.push(key);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}
