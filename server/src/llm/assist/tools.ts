/**
 * The Assist API's tools for one principal, from the live Home: intents (run by HA), live context, date and
 * time, to-do items, calendar events and one tool per exposed script. Each knows its bare name (HA before
 * 2026.9) and its owning domain (the prefix from 2026.9).
 */
import type { Home } from '../../ha/home.js';
import type { ResolvedEntity } from '../../ha/types.js';
import type { JsonSchemaObject, Tool, ToolAnnotations, ToolResult } from '../api.js';
import { offeredIntents, type IntentSpec } from './catalogue.js';
import { stateName } from '../../ha/resolve.js';
import { comparePython } from '../homeassistant/close-matches.js';
import { matchPreferences } from './device-preferences.js';
import type { HaCalls } from './ha-calls.js';
import { liveContext, localIso, type LiveContextResult } from './live-context.js';
import { pythonJson } from './python-json.js';
import { scriptSchema } from './script-schema.js';
import { validateArguments } from './validate.js';
import { intentTargets, scriptTargets } from '../../approvals/targets.js';

export interface NamedTool extends Tool {
  /** The tool's name without its domain prefix (HA before 2026.9). */
  bare: string;
  owner: string;
}

export interface AssistContext {
  home: Home;
  calls: HaCalls;
  prefixed: boolean;
}

const READ: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
/** HA marks live context and date/time read-only without saying they destroy nothing. */
const READ_VOLATILE: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: false,
};

const ok = (data: unknown): ToolResult => ({ text: pythonJson(data) });
const failed = (message: string): ToolResult => ({ text: `Error calling tool: ${message}`, isError: true });
const dataError = (error: string): ToolResult => ({ text: pythonJson({ error }), isError: true });

export function toolName(owner: string, base: string, bare: string, prefixed: boolean): string {
  return prefixed ? `${owner}__${base}` : bare;
}

function named(
  ctx: Pick<AssistContext, 'prefixed'>,
  spec: { owner: string; base: string; bare: string },
  tool: Omit<NamedTool, 'name' | 'bare' | 'owner'>
): NamedTool {
  return {
    ...tool,
    owner: spec.owner,
    bare: spec.bare,
    name: toolName(spec.owner, spec.base, spec.bare, ctx.prefixed),
  };
}

function withValidation(
  schema: JsonSchemaObject,
  run: Tool['run'],
  invalid?: (msg: string) => ToolResult
): Tool['run'] {
  return async (args, toolCtx) => {
    const copy = { ...args };
    const problem = validateArguments(schema, copy);
    if (problem) return invalid ? invalid(problem) : failed(problem);
    return run(copy, toolCtx);
  };
}

function intentTool(ctx: AssistContext, spec: IntentSpec): NamedTool {
  return named(
    ctx,
    { owner: spec.owner, base: spec.intent, bare: spec.intent },
    {
      title: spec.title,
      description: spec.description,
      inputSchema: spec.inputSchema,
      annotations: spec.annotations,
      run: withValidation(
        spec.inputSchema,
        async (args, { principal, deviceId }) => {
          // A named device makes its area and floor preferred where a name is ambiguous, as in HA.
          const slots = { ...args, ...matchPreferences(ctx.home.require(), deviceId) };
          const response = await ctx.calls.handleIntent(principal.token, spec.intent, slots, deviceId);
          if (response.response_type === 'error') {
            const speech = (response.speech as { plain?: { speech?: string } } | undefined)?.plain?.speech;
            return failed(speech ?? `The ${spec.intent} intent failed`);
          }
          const { language: _language, card: _card, ...shown } = response;
          return ok(shown);
        },
        () => failed(`Received invalid slot info for ${spec.intent}`)
      ),
      ...(!spec.annotations?.readOnlyHint && {
        changes: (args: Record<string, unknown>) => intentTargets(ctx.home.require(), spec.intent, args),
      }),
    }
  );
}

function timeZoneName(date: Date, timeZone: string): string {
  for (const locale of ['en-US', 'en-GB']) {
    const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (name && !name.startsWith('GMT')) return name;
  }
  return new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')!.value;
}

/** `GetDateTime`, which HA offers in every LLM API (merged APIs list it once: `shared`). */
export function dateTimeTool(ctx: Pick<AssistContext, 'home' | 'prefixed'>): NamedTool {
  return named(
    ctx,
    { owner: 'llm', base: 'GetDateTime', bare: 'GetDateTime' },
    {
      title: 'Get date and time',
      shared: 'GetDateTime',
      description: 'Tells the current date, time, time zone and day of the week in the home.',
      inputSchema: { type: 'object', properties: {} },
      annotations: READ_VOLATILE,
      async run() {
        const timeZone = ctx.home.require().config?.time_zone ?? 'UTC';
        const now = new Date();
        const local = localIso(new Date(Math.floor(now.getTime() / 1000) * 1000), timeZone);
        return ok({
          date: local.slice(0, 10),
          time: local.slice(11, 19),
          timezone: timeZoneName(now, timeZone),
          weekday: new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long' }).format(now),
        });
      },
    }
  );
}

function liveContextTool(ctx: AssistContext): NamedTool {
  const inputSchema: JsonSchemaObject = {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Only entities with this name or alias (any letter case).' },
      domain: {
        anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
        description: "Only entities of this domain, such as 'light' or 'sensor'; one domain or a list.",
      },
      area: {
        type: 'string',
        description: 'Only entities in the area with this name or alias (any letter case).',
      },
    },
  };
  return named(
    ctx,
    { owner: 'homeassistant', base: 'GetLiveContext', bare: 'GetLiveContext' },
    {
      title: 'Get live context',
      description:
        'Returns the current state, value or mode of the devices, sensors and areas the user exposed. Use it to ' +
        'answer questions about how things are now, and as the first step of any action that depends on a ' +
        'condition. Filter by name, domain and area (they combine); a domain filter suits many devices of one kind.',
      inputSchema,
      annotations: READ_VOLATILE,
      run: withValidation(inputSchema, async (args) => {
        const home = ctx.home.require();
        const filtered = args.name !== undefined || args.area !== undefined || args.domain !== undefined;
        const result = filtered
          ? liveContext(home.all(), args, liveContextOptions(home))
          : fullLiveContext(home);
        return result.ok ? ok({ result: result.text }) : dataError(result.error);
      }),
    }
  );
}

const unfiltered = new WeakMap<Home, { revision: number; result: LiveContextResult }>();

/** The live context without filters, rendered once per change of the home (the resource reads it too). */
export function fullLiveContext(home: Home): LiveContextResult {
  const cached = unfiltered.get(home);
  if (cached?.revision === home.revision) return cached.result;
  const result = liveContext(home.all(), {}, liveContextOptions(home));
  unfiltered.set(home, { revision: home.revision, result });
  return result;
}

export function liveContextOptions(home: Home) {
  return {
    timeZone: home.config?.time_zone ?? 'UTC',
    areas: [...home.areas.values()],
    precision: (entityId: string) => {
      const sensor = home.registry.get(entityId)?.options.sensor as Record<string, unknown> | undefined;
      const value = sensor?.display_precision ?? sensor?.suggested_display_precision;
      return typeof value === 'number' ? value : undefined;
    },
  };
}

/** Names and aliases of exposed entities of a domain, for an enum, and a way back to the entity. */
function byName(entities: ResolvedEntity[], domain: string) {
  const names = new Map<string, ResolvedEntity>();
  for (const e of entities)
    if (e.domain === domain) for (const n of e.names) if (!names.has(n)) names.set(n, e);
  return names;
}

function todoTool(ctx: AssistContext, exposed: ResolvedEntity[]): NamedTool {
  const lists = byName(exposed, 'todo');
  const inputSchema: JsonSchemaObject = {
    type: 'object',
    properties: {
      todo_list: { type: 'string', enum: [...lists.keys()] },
      status: {
        type: 'string',
        enum: ['needs_action', 'completed', 'all'],
        description: 'Which items to return; by default the ones still to do.',
        default: 'needs_action',
      },
    },
    required: ['todo_list'],
  };
  return named(
    ctx,
    { owner: 'todo', base: 'get_items', bare: 'todo_get_items' },
    {
      title: 'Get to-do list items',
      description: 'Reads the items on one of the to-do lists, optionally only the done or the open ones.',
      inputSchema,
      annotations: READ,
      run: withValidation(inputSchema, async (args, { principal }) => {
        const list = lists.get(String(args.todo_list));
        if (!list) return failed('To-do list not found');
        const status =
          args.status === 'all' ? ['needs_action', 'completed'] : [String(args.status ?? 'needs_action')];
        const response = (await ctx.calls.callWithResponse(principal.token, 'todo', 'get_items', {
          entity_id: list.entity_id,
          status,
        })) as Record<string, { items?: unknown[] }> | undefined;
        return ok({ items: response?.[list.entity_id]?.items ?? [] });
      }),
    }
  );
}

/** Local midnight `days` days after now's date in a time zone, as an ISO instant. */
function midnightAfter(now: Date, days: number, timeZone: string): string {
  const local = localIso(now, timeZone);
  const [y, m, d] = local.slice(0, 10).split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1, d + days));
  const guess = localIso(target, timeZone); // offset at that date
  const offset = guess.slice(19).replace(/^\.\d+/, '');
  return `${target.toISOString().slice(0, 10)}T00:00:00${offset}`;
}

function calendarTool(ctx: AssistContext, exposed: ResolvedEntity[]): NamedTool {
  const calendars = byName(exposed, 'calendar');
  const inputSchema: JsonSchemaObject = {
    type: 'object',
    properties: {
      calendar: { type: 'string', enum: [...calendars.keys()] },
      range: { type: 'string', enum: ['today', 'week'] },
    },
    required: ['calendar', 'range'],
  };
  return named(
    ctx,
    { owner: 'calendar', base: 'get_events', bare: 'calendar_get_events' },
    {
      title: 'Get calendar events',
      description:
        'Lists the events of a calendar for the rest of today or the coming week. An end time is exclusive, ' +
        'as in RFC 5545: an event ending at midnight does not take up the next day.',
      inputSchema,
      annotations: READ,
      run: withValidation(inputSchema, async (args, { principal }) => {
        const calendar = calendars.get(String(args.calendar));
        if (!calendar) return failed('Calendar not found');
        const timeZone = ctx.home.config?.time_zone ?? 'UTC';
        const now = new Date();
        const response = (await ctx.calls.callWithResponse(principal.token, 'calendar', 'get_events', {
          entity_id: calendar.entity_id,
          start_date_time: localIso(now, timeZone),
          end_date_time: midnightAfter(now, args.range === 'week' ? 7 : 1, timeZone),
        })) as Record<string, { events?: Record<string, unknown>[] }> | undefined;
        const events = (response?.[calendar.entity_id]?.events ?? []).map((event) =>
          typeof event.start === 'string' && !event.start.includes('T') ? { ...event, all_day: true } : event
        );
        return ok({ events });
      }),
    }
  );
}

function scriptTools(ctx: AssistContext, exposed: ResolvedEntity[]): NamedTool[] {
  const tools: NamedTool[] = [];
  // In HA's order: by the script's name, as Python sorts text (script/llm.py).
  const scripts = exposed
    .filter((e) => e.domain === 'script')
    .sort((a, b) => comparePython(stateName(a), stateName(b)));
  for (const entity of scripts) {
    const objectId = entity.entity_id.slice('script.'.length);
    const service = ctx.home.scripts.get(objectId);
    const friendly =
      typeof entity.attributes.friendly_name === 'string' ? entity.attributes.friendly_name : objectId;
    const aliases = entity.names.slice(1);
    let description = service?.description || friendly;
    if (aliases.length) description += `. Aliases: [${aliases.map((a) => `'${a}'`).join(', ')}]`;
    const inputSchema = scriptSchema(service?.fields ?? {});
    const bare = /^\d/.test(objectId) ? `_${objectId}` : objectId;
    tools.push(
      named(
        ctx,
        { owner: 'script', base: objectId, bare },
        {
          title: friendly,
          description,
          inputSchema,
          annotations: {
            readOnlyHint: false,
            destructiveHint: true,
            idempotentHint: false,
            openWorldHint: true,
          },
          run: withValidation(inputSchema, async (args, { principal }) => {
            const response = await ctx.calls.callWithResponse(principal.token, 'script', objectId, args);
            return ok({ result: response ?? {} });
          }),
          changes: () => scriptTargets(entity.entity_id),
        }
      )
    );
  }
  return tools;
}

/** Every tool the Assist API offers now, in HA's order: by owning domain, then as each domain lists them. */
export function assistTools(ctx: AssistContext): NamedTool[] {
  const home = ctx.home.require();
  const exposed = home.exposedEntities();
  const domains = new Set(exposed.map((e) => e.domain));
  const tools: NamedTool[] = [dateTimeTool(ctx)];
  if (exposed.length > 0) tools.push(liveContextTool(ctx));
  if (domains.has('todo')) tools.push(todoTool(ctx, exposed));
  if (domains.has('calendar')) tools.push(calendarTool(ctx, exposed));
  tools.push(...scriptTools(ctx, exposed));
  tools.push(...offeredIntents(domains).map((spec) => intentTool(ctx, spec)));
  // A stable sort: within one domain, reading tools come before intents, as in HA's list.
  return tools.sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
}
