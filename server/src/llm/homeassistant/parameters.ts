/**
 * A tool's parameters, declared once, as Home Assistant's "Home Assistant" LLM API declares them with probatio
 * 0.13: `jsonSchemaOf` gives the input schema HA's `mcp_server` advertises, and `parseArguments` checks,
 * coerces and fills in the arguments the way HA does before a tool runs, failing with HA's exact words
 * (a client sees `Error calling tool: <message>`). Pinned by tests/fixtures/probatio-golden.json, recorded
 * from the pinned HA's own Python.
 *
 * Each kind names the probatio validator it stands for:
 * - `string`: Python's `str` type check, or with `cv` one of HA's coercing `cv.string`, `cv.entity_id`,
 *   `cv.service`; then `Strip` or `Lower` (`transform`), `NonEmpty()`, `In([...])` (`enum`), in that order;
 * - `enum`: a bare `In([...])` (no type check first, so `5` is "not one of" rather than "expected str");
 * - `integer`: `All(Coerce(int), Range(min, max))`; `boolean`: `All(Boolean(), bool)`; `object`: `dict`;
 * - `array`: `[items]`, with `All(..., Length(min=n))` for `minItems`; `anyOf`: `Any(...)` of validators.
 */
import type { JsonSchemaObject } from '../api.js';
import { closeMatches, comparePython } from './close-matches.js';
import { pythonRepr, pythonStr, pythonStrip } from './tools/python-text.js';

export type Param = (
  | {
      kind: 'string';
      cv?: 'string' | 'entity_id' | 'service';
      transform?: 'strip' | 'lower';
      nonEmpty?: boolean;
      enum?: readonly string[];
    }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'integer'; minimum?: number; maximum?: number }
  | { kind: 'boolean' }
  | { kind: 'object' }
  | { kind: 'array'; items: Param; minItems?: number }
  | { kind: 'anyOf'; options: readonly Param[] }
) & { description?: string; required?: boolean; default?: unknown };

/** A tool's parameters by name, in HA's schema order (which is also the order of missing-key errors). */
export type Parameters = Record<string, Param>;

export type ParsedArguments = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** The input schema HA's `mcp_server` renders for these parameters (`probatio.to_openapi`, `_format_tool`). */
export function jsonSchemaOf(params: Parameters): JsonSchemaObject {
  const properties = Object.fromEntries(
    Object.entries(params).map(([name, param]) => [name, schemaOf(param)])
  );
  const required = Object.keys(params).filter((name) => params[name]!.required);
  return required.length ? { type: 'object', properties, required } : { type: 'object', properties };
}

/**
 * The arguments as HA's tool sees them after its schema ran (coerced, defaults filled in), or the text of
 * the first error, as `str(probatio.MultipleInvalid)` reads: arguments in the order given, then the missing
 * required ones in schema order. (One order cannot be kept: JavaScript lists integer-like keys such as "5"
 * before the others, so among several unknown keys one of those is reported first.)
 */
export function parseArguments(params: Parameters, args: Record<string, unknown>): ParsedArguments {
  const value: Record<string, unknown> = {};
  const problems: Problem[] = [];
  const names = Object.keys(params);
  const check = (name: string, param: Param, given: unknown): void => {
    try {
      value[name] = validate(param, given);
    } catch (error) {
      problems.push(...under(name, error));
    }
  };
  for (const [name, given] of Object.entries(args)) {
    const param = Object.hasOwn(params, name) ? params[name] : undefined;
    if (param) check(name, param, given);
    else problems.push({ path: [name], message: 'not a valid option' + didYouMean(name, names, name) });
  }
  for (const name of names) {
    if (Object.hasOwn(args, name)) continue;
    const param = params[name]!;
    // probatio runs a default through the validator too, as voluptuous does.
    if ('default' in param) check(name, param, param.default);
    else if (param.required) problems.push({ path: [name], message: 'required key not provided' });
  }
  const first = problems[0];
  return first
    ? { ok: false, message: `${first.message} at '${renderPath(first.path)}'` }
    : { ok: true, value };
}

function schemaOf(param: Param): Record<string, unknown> {
  const schema = typeSchemaOf(param);
  if (param.description !== undefined) schema.description = param.description;
  if ('default' in param) schema.default = param.default;
  return schema;
}

function typeSchemaOf(param: Param): Record<string, unknown> {
  switch (param.kind) {
    case 'string':
      return {
        type: 'string',
        ...(param.transform && { format: param.transform }),
        ...(param.enum && { enum: [...param.enum] }),
      };
    case 'enum':
      return { type: 'string', enum: [...param.values] };
    case 'integer':
      return {
        type: 'integer',
        ...(param.minimum !== undefined && { minimum: param.minimum }),
        ...(param.maximum !== undefined && { maximum: param.maximum }),
      };
    case 'boolean':
      return { type: 'boolean' };
    case 'object':
      return { type: 'object', additionalProperties: true };
    case 'array':
      return {
        type: 'array',
        items: schemaOf(param.items),
        ...(param.minItems !== undefined && { minItems: param.minItems }),
      };
    case 'anyOf':
      return { anyOf: param.options.map(schemaOf) };
  }
}

// ---- validation -------------------------------------------------------------------------------------------

type PathSegment = string | number;
interface Problem {
  path: PathSegment[];
  message: string;
}

/** A failed value: its problems, paths relative to the value (probatio's `MultipleInvalid`). */
class Invalid extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems[0]?.message);
  }
}

const fail = (message: string): never => {
  throw new Invalid([{ path: [], message }]);
};

function under(segment: PathSegment, error: unknown): Problem[] {
  if (!(error instanceof Invalid)) throw error;
  return error.problems.map(({ path, message }) => ({ path: [segment, ...path], message }));
}

function validate(param: Param, value: unknown): unknown {
  switch (param.kind) {
    case 'string':
      return validateString(param, value);
    case 'enum':
      return oneOf(param.values, value);
    case 'integer': {
      const number = pythonInt(value);
      if (param.minimum !== undefined && !(number >= param.minimum))
        fail(`value must be at least ${param.minimum}`);
      if (param.maximum !== undefined && !(number <= param.maximum))
        fail(`value must be at most ${param.maximum}`);
      return number;
    }
    case 'boolean':
      return pythonBoolean(value);
    case 'object':
      return isDict(value) ? value : fail('expected dict');
    case 'array':
      return validateList(param.items, param.minItems, value);
    case 'anyOf':
      return validateAny(param.options, value);
  }
}

function validateString(param: Extract<Param, { kind: 'string' }>, value: unknown): string {
  let text = param.cv
    ? coerceText(param.cv, value)
    : typeof value === 'string'
      ? value
      : fail('expected str');
  if (param.transform === 'strip') text = pythonStrip(text);
  if (param.transform === 'lower') text = text.toLowerCase();
  if (param.nonEmpty && text.length === 0) fail('value must not be empty');
  return param.enum ? oneOf(param.enum, text) : text;
}

/** HA's `cv.string`, `cv.entity_id` and `cv.service` (helpers/config_validation.py). */
function coerceText(cv: 'string' | 'entity_id' | 'service', value: unknown): string {
  if (value === null || value === undefined) return fail('string value is None');
  if (typeof value === 'object') return fail('value should be a string');
  const text = typeof value === 'string' ? value : pythonStr(value);
  if (cv === 'string') return text;
  const id = text.toLowerCase();
  if (VALID_ENTITY_ID.test(id)) return id;
  return cv === 'entity_id'
    ? fail(`Entity ID ${text} is an invalid entity ID`)
    : fail(`Service ${text} does not match format <domain>.<name>`);
}

/** homeassistant/core.py's VALID_ENTITY_ID; Python's `\d` is any Unicode decimal digit. */
const OBJECT_ID = String.raw`(?!_)[\p{Nd}a-z_]+(?<!_)`;
const VALID_ENTITY_ID = new RegExp(String.raw`^(?!.+__)${OBJECT_ID}\.${OBJECT_ID}$`, 'u');

/** probatio's `In`: the allowed values sorted in the message, and a hint when a string is close to one. */
function oneOf(values: readonly string[], value: unknown): string {
  if (typeof value === 'string' && values.includes(value)) return value;
  const sorted = [...values].sort(comparePython);
  const hint = typeof value === 'string' ? didYouMean(value, values) : '';
  return fail(`value must be one of ${pythonList(sorted)}${hint}`);
}

function validateList(items: Param, minItems: number | undefined, value: unknown): unknown[] {
  if (!Array.isArray(value)) return fail('expected a list');
  const problems: Problem[] = [];
  const result = value.map((item, index) => {
    try {
      return validate(items, item);
    } catch (error) {
      problems.push(...under(index, error));
      return undefined;
    }
  });
  if (problems.length) throw new Invalid(problems);
  if (minItems !== undefined && result.length < minItems)
    fail(`length of value must be at least ${minItems}`);
  return result;
}

/** probatio's `Any` of validators: the first that accepts; else the failure whose first error is deepest. */
function validateAny(options: readonly Param[], value: unknown): unknown {
  let best: Invalid | undefined;
  for (const option of options) {
    try {
      return validate(option, value);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      if (!best || error.problems[0]!.path.length > best.problems[0]!.path.length) best = error;
    }
  }
  throw best ?? new Invalid([{ path: [], message: 'no valid value found' }]);
}

/** Python's `int(value)` as `Coerce(int)` calls it: truncates numbers, reads decimal text, `True` is 1. */
function pythonInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value) || 0;
  if (typeof value === 'string') {
    const match = INT_TEXT.exec(pythonStrip(value));
    if (match) {
      const digits = Array.from(match[2]!.replaceAll('_', ''), decimalDigit).join('');
      return Number(match[1] === '-' ? `-${digits}` : digits) || 0;
    }
  }
  return fail('expected int');
}

const INT_TEXT = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u;
const ND = /^\p{Nd}$/u;

/** The value of a Unicode decimal digit: digits come in runs of ten that start at zero. */
function decimalDigit(char: string): string {
  let code = char.codePointAt(0)!;
  let offset = 0;
  while (ND.test(String.fromCodePoint(code - 1))) [code, offset] = [code - 1, offset + 1];
  return String(offset % 10);
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 'enable']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'disable']);

/** probatio's `Boolean()`: its words (no trimming), else Python's truthiness (`None` and `[]` are false). */
function pythonBoolean(value: unknown): boolean {
  if (typeof value === 'string') {
    const word = value.toLowerCase();
    return TRUE_WORDS.has(word) || (FALSE_WORDS.has(word) ? false : fail('expected a boolean'));
  }
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

const isDict = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---- Python's text of values ------------------------------------------------------------------------------

/** A list placeholder as probatio renders it: Python's list repr, at most 40 values spelled out. */
function pythonList(values: readonly string[]): string {
  const shown = values.slice(0, 40).map(pythonRepr).join(', ');
  return values.length > 40 ? `[${shown}, ...] (${values.length - 40} more not shown)` : `[${shown}]`;
}

/** probatio's `, did you mean 'a', 'b' or 'c'?` (difflib with cut-off 0.7), or nothing. */
function didYouMean(word: string, pool: readonly string[], exclude?: string): string {
  const quoted = closeMatches(
    word,
    pool.filter((name) => name !== exclude),
    3,
    0.7
  ).map(pythonRepr);
  if (!quoted.length) return '';
  const last = quoted.pop()!;
  return `, did you mean ${quoted.length ? `${quoted.join(', ')} or ${last}` : last}?`;
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MAX_SEGMENT = 500;

/** probatio's `render_path`: `entity_ids[0]`, `target.foo`, and `['odd key']` for keys that are not names. */
function renderPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      continue;
    }
    const length = Array.from(segment).length;
    const bare = BARE_KEY.test(segment) || (/^<.*>$/s.test(segment) && BARE_KEY.test(segment.slice(1, -1)));
    if (length <= MAX_SEGMENT && bare) {
      out += out ? `.${segment}` : segment;
      continue;
    }
    const repr = Array.from(pythonRepr(segment));
    out += `[${repr.length > MAX_SEGMENT ? repr.slice(0, MAX_SEGMENT - 3).join('') + '...' : repr.join('')}]`;
  }
  return out;
}
