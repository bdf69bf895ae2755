/**
 * Comparing a tool of ours with Home Assistant's own: the same title, annotations and input schema, with
 * descriptions left out (each server words its own) and, where HA builds an enum from a set, in any order.
 */
import assert from 'node:assert/strict';

export interface ToolShape {
  name: string;
  title?: string;
  inputSchema: object;
  annotations?: object;
}

/** A schema without its descriptions; enums sorted when `sortEnums` (HA builds some from sets). */
export function withoutDescriptions(value: unknown, sortEnums = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutDescriptions(item, sortEnums));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'description')
        .map(([k, v]) => [
          k,
          sortEnums && k === 'enum' && Array.isArray(v) ? [...v].sort() : withoutDescriptions(v, sortEnums),
        ])
    );
  }
  return value;
}

/** Asserts that our tool has HA's title, annotations and input schema. */
export function assertSameTool(ours: ToolShape, theirs: ToolShape, sortEnums = false): void {
  assert.equal(ours.title, theirs.title, `${theirs.name} title`);
  assert.deepEqual(ours.annotations, theirs.annotations, `${theirs.name} annotations`);
  assert.deepEqual(
    withoutDescriptions(ours.inputSchema, sortEnums),
    withoutDescriptions(theirs.inputSchema, sortEnums),
    `${theirs.name} schema`
  );
}
