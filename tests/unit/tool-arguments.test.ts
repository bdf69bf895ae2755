/**
 * The one argument checker (server/src/llm/arguments.ts): the MCP edge hears every problem in AJV's words and
 * keeps the arguments as sent; the Assist tools get defaults filled in and HA's wording of the first problem;
 * and a home whose names keep changing never grows the cache of compiled checks past its bound.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonSchemaObject } from '../../server/src/llm/api.js';
import {
  argumentErrors,
  argumentProblem,
  cachedChecks,
  MAX_CACHED_CHECKS,
} from '../../server/src/llm/arguments.js';
import { validateArguments } from '../../server/src/llm/assist/validate.js';

const LEVEL: JsonSchemaObject = {
  type: 'object',
  properties: { name: { type: 'string' }, level: { type: 'number', default: 50 } },
  required: ['name'],
};

describe('tool arguments', () => {
  it('tells the MCP edge every problem, and leaves the arguments as they came', () => {
    const args = { level: 'x' } as Record<string, unknown>;
    assert.equal(
      argumentProblem(LEVEL, args),
      "data must have required property 'name', data/level must be number"
    );
    assert.equal(argumentProblem(LEVEL, { name: 'Ann' }), undefined);
    const sent = { name: 'Ann' };
    argumentProblem(LEVEL, sent);
    assert.deepEqual(sent, { name: 'Ann' });
  });

  it('fills defaults for the Assist tools and words the first problem as HA does', () => {
    const args: Record<string, unknown> = { name: 'Ann' };
    assert.equal(validateArguments(LEVEL, args), undefined);
    assert.deepEqual(args, { name: 'Ann', level: 50 });
    assert.equal(validateArguments(LEVEL, { level: 3 }), "required key not provided @ data['name']");
    const areas: JsonSchemaObject = { type: 'object', properties: { area: { enum: ['Kitchen', 'Office'] } } };
    assert.equal(
      validateArguments(areas, { area: 'Attic' }),
      "value must be one of ['Kitchen', 'Office'] at 'area'"
    );
    assert.equal(argumentErrors(areas, { area: 'Attic' }, 'fill-defaults')?.length, 1);
  });

  it('keeps a bounded number of compiled checks however often the home’s names change', () => {
    for (let i = 0; i < MAX_CACHED_CHECKS + 100; i++) {
      const schema: JsonSchemaObject = { type: 'object', properties: { name: { enum: [`Lamp ${i}`] } } };
      assert.equal(validateArguments(schema, { name: `Lamp ${i}` }), undefined);
      assert.ok(cachedChecks() <= MAX_CACHED_CHECKS, `${cachedChecks()} checks kept`);
    }
    assert.equal(cachedChecks(), MAX_CACHED_CHECKS);
    // The newest checks are the ones kept: checking the last schema again compiles nothing new.
    const last: JsonSchemaObject = {
      type: 'object',
      properties: { name: { enum: [`Lamp ${MAX_CACHED_CHECKS + 99}`] } },
    };
    assert.equal(
      validateArguments(last, { name: 'Other' }),
      `value must be one of ['Lamp ${MAX_CACHED_CHECKS + 99}'] at 'name'`
    );
    assert.equal(cachedChecks(), MAX_CACHED_CHECKS);
  });
});
