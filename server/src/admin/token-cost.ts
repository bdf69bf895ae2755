/**
 * The token cost of the home: what an MCP client is sent before it has done anything useful, per endpoint
 * (`/api/mcp` with the APIs the options select, and each API on its own) and per kind of caller
 * (administrator, plain user, read-only), and each exposed entity's share of it, so an owner can trim.
 *
 * Counted are the tools array of tools/list exactly as it is serialised, the prompt's text, and what
 * GetLiveContext answers without filters (the tool's own result, so it is what a client reads). Nothing
 * here changes what MCP clients are sent. Pure over the Home and the registry, given a token counter.
 */
import type { Home } from '../ha/home.js';
import type { Principal } from '../ha/principals.js';
import type { ResolvedEntity } from '../ha/types.js';
import { ApiUnauthorizedError, type ApiInstance, type Tool } from '../llm/api.js';
import { describeEntities, toYaml, type EntityInfo } from '../llm/assist/live-context.js';
import { fullLiveContext, liveContextOptions } from '../llm/assist/tools.js';
import type { ApiRegistry } from '../llm/registry.js';
import { MCP_PATH } from '../mcp/routes.js';
import type { Options } from '../options.js';
import type { TokenCostAnswer, TokenCostApi, TokenCostEntity, TokenCostFigures } from './contract.js';
import { PANEL_PRINCIPAL } from './overview.js';
import type { CountTokens } from './token-cost-tokenizer.js';

/** The callers the figures are for: what the registry and the read-only rule give each. */
export const CALLERS = {
  admin: PANEL_PRINCIPAL,
  nonAdmin: Object.freeze({ ...PANEL_PRINCIPAL, userId: 'token-cost-user', name: 'A user', isAdmin: false }),
  // An administrator with a read-only grant: the most a read-only caller is ever offered.
  readOnly: Object.freeze({ ...PANEL_PRINCIPAL, readOnly: true }),
} satisfies Record<string, Principal>;

export type CallerKind = keyof typeof CALLERS;

/** How many entities the answer lists by default; the totals cover them all. */
export const ENTITY_LIMIT = 200;

export interface TokenCostInput {
  home: Home;
  registry: Pick<ApiRegistry, 'available' | 'instanceFor'>;
  options: () => Pick<Options, 'llm_apis' | 'control_home_assistant' | 'require_admin'>;
  count: CountTokens;
  limit?: number;
}

export type TokenCostFiguresOnly = Omit<TokenCostAnswer, 'tokenizer' | 'computedAt' | 'computeMs'>;

/** A tool as tools/list sends it (mcp/server.ts `listed`): the real-HA test checks the two agree. */
export function listedTool(tool: Tool) {
  return {
    name: tool.name,
    ...(tool.title !== undefined && { title: tool.title }),
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(tool.annotations !== undefined && { annotations: tool.annotations }),
  };
}

/** Assist's live-context tool, under any of its names (bare, `homeassistant__`, or namespaced in a merge). */
const isLiveContextTool = (tool: Tool) => /(^|__)GetLiveContext$/.test(tool.name);

const NOT_AVAILABLE: TokenCostFigures = {
  available: false,
  toolCount: 0,
  tools: 0,
  prompt: 0,
  liveContext: 0,
  total: 0,
};

/** The same text is counted once per computation (the endpoints share most of what they send). */
function memoised(count: CountTokens): CountTokens {
  const seen = new Map<string, number>();
  return (text) => {
    let n = seen.get(text);
    if (n === undefined) {
      n = count(text);
      seen.set(text, n);
    }
    return n;
  };
}

function instanceOr(
  registry: TokenCostInput['registry'],
  principal: Principal,
  id: string | undefined
): ApiInstance | undefined {
  try {
    return registry.instanceFor(principal, id);
  } catch (err) {
    if (err instanceof ApiUnauthorizedError) return undefined;
    throw err;
  }
}

async function liveContextText(instance: ApiInstance, principal: Principal): Promise<string> {
  const tool = instance.tools.find(isLiveContextTool);
  return tool ? (await tool.run({}, { principal })).text : '';
}

async function figuresOf(
  instance: ApiInstance | undefined,
  principal: Principal,
  tokens: CountTokens
): Promise<TokenCostFigures> {
  if (!instance) return NOT_AVAILABLE;
  const tools = tokens(JSON.stringify(instance.tools.map(listedTool)));
  const prompt = tokens(instance.prompt.text);
  const liveContext = tokens(await liveContextText(instance, principal));
  return {
    available: true,
    toolCount: instance.tools.length,
    tools,
    prompt,
    liveContext,
    total: tools + prompt + liveContext,
  };
}

/** Strings a tool offers as choices (a to-do list's or calendar's names). */
function choicesOf(tool: Tool): Set<string> {
  const out = new Set<string>();
  for (const schema of Object.values(tool.inputSchema.properties)) {
    const choices = (schema as { enum?: unknown } | null)?.enum;
    if (Array.isArray(choices)) for (const c of choices) if (typeof c === 'string') out.add(c);
  }
  return out;
}

/**
 * A script's tool: named after the script (bare, `_`-prefixed or `script__`), and saying, for the approval
 * gate, that it runs it. The name is checked first: asking an intent tool what it changes is not cheap.
 */
function scriptTool(tools: Tool[], entity: ResolvedEntity): Tool | undefined {
  if (entity.domain !== 'script') return undefined;
  const objectId = entity.entity_id.slice('script.'.length);
  return tools.find(
    (tool) =>
      (tool.name === objectId || tool.name === `_${objectId}` || tool.name.endsWith(`__${objectId}`)) &&
      tool.changes?.({}).scripts?.includes(entity.entity_id) === true
  );
}

/**
 * Each described entity's own block of the YAML list (an item starts with `- ` at the line's start; what an
 * item holds is indented), split from the list as rendered (`rendered`: the live context's, already made
 * for GetLiveContext) or rendered here once; one by one should the split ever not line up.
 */
function blocksById(
  exposed: ResolvedEntity[],
  options: ReturnType<typeof liveContextOptions>,
  withState: boolean,
  rendered?: string
): Map<string, { info: EntityInfo; block: string }> {
  const described = describeEntities(exposed, options, withState);
  const infos = described.map((d) => d.info);
  let blocks = (rendered ?? toYaml(infos)).split(/\n(?=- )/);
  if (blocks.length !== infos.length) blocks = infos.map((info) => toYaml([info]));
  return new Map(described.map((d, i) => [d.entity.entity_id, { info: d.info, block: blocks[i]! }]));
}

/** Each exposed entity's share of what `instance` sends, costliest first. */
export function entityShares(
  exposed: ResolvedEntity[],
  instance: ApiInstance,
  options: ReturnType<typeof liveContextOptions>,
  tokens: CountTokens,
  /** The live context's YAML list as GetLiveContext sends it, if it is at hand. */
  liveYaml?: string
): TokenCostEntity[] {
  const live = blocksById(exposed, options, true, liveYaml);
  const statics = blocksById(exposed, options, false);
  const choices = instance.tools.map(choicesOf).filter((c) => c.size > 0);
  const rows = exposed.map((entity): TokenCostEntity => {
    const info = live.get(entity.entity_id);
    // In GetLiveContext's answer the YAML is a JSON string: its block is counted escaped, as it is sent.
    const liveContext = info ? tokens(JSON.stringify(info.block).slice(1, -1)) : 0;
    const staticBlock = statics.get(entity.entity_id)?.block;
    const prompt = staticBlock ? tokens(staticBlock) : 0;
    const script = scriptTool(instance.tools, entity);
    const listedIn = choices.some((c) => entity.names.some((n) => c.has(n)));
    const tools = script
      ? tokens(JSON.stringify(listedTool(script)))
      : listedIn
        ? tokens(entity.names.map((n) => JSON.stringify(n)).join(','))
        : 0;
    const name = entity.names[0] ?? entity.entity_id;
    return {
      entityId: entity.entity_id,
      name,
      domain: entity.domain,
      tokens: liveContext + prompt + tools,
      liveContext,
      prompt,
      tools,
      attributes: Object.keys(info?.info.attributes ?? {}).length,
      aliases: Math.max(0, entity.names.length - 1),
    };
  });
  return rows.sort((a, b) => b.tokens - a.tokens || (a.entityId < b.entityId ? -1 : 1));
}

/** The YAML list of the unfiltered live context (rendered once per change of the home, tools.ts). */
function liveYamlOf(home: Home): string | undefined {
  const full = fullLiveContext(home);
  return full.ok ? full.text.slice(full.text.indexOf('\n') + 1) : undefined;
}

/**
 * Every endpoint's figures for every kind of caller, and the entities' shares of the first endpoint that
 * sends the live context (the selection, else the Assist API on its own endpoint).
 * @throws {HaAwayError} while the Home is not live
 */
export async function tokenCost(input: TokenCostInput): Promise<TokenCostFiguresOnly> {
  const home = input.home.require();
  const tokens = memoised(input.count);
  const options = input.options();
  const endpoints: { id: string | null; name?: string }[] = [{ id: null }, ...input.registry.available()];
  let carrier: ApiInstance | undefined;
  const apis: TokenCostApi[] = [];
  for (const endpoint of endpoints) {
    const only = endpoint.id ?? undefined;
    const callers = {} as TokenCostApi['callers'];
    let name = endpoint.name;
    for (const kind of Object.keys(CALLERS) as CallerKind[]) {
      // `/api/mcp` also refuses every non-administrator while `require_admin` is on (mcp/access.ts).
      const refused = only === undefined && options.require_admin && !CALLERS[kind].isAdmin;
      const instance = refused ? undefined : instanceOr(input.registry, CALLERS[kind], only);
      callers[kind] = await figuresOf(instance, CALLERS[kind], tokens);
      if (kind === 'admin' && instance) {
        name ??= instance.prompt.name;
        if (!carrier && instance.tools.some(isLiveContextTool)) carrier = instance;
      }
    }
    apis.push({
      id: endpoint.id,
      name: name ?? 'Selected APIs',
      endpoint: endpoint.id === null ? MCP_PATH : `${MCP_PATH}/${endpoint.id}`,
      callers,
    });
  }
  const shares = carrier
    ? entityShares(home.exposedEntities(), carrier, liveContextOptions(home), tokens, liveYamlOf(home))
    : [];
  return {
    selected: [...options.llm_apis],
    controlHomeAssistant: options.control_home_assistant,
    apis,
    entities: shares.slice(0, input.limit ?? ENTITY_LIMIT),
    entityTotals: { count: shares.length, tokens: shares.reduce((sum, e) => sum + e.tokens, 0) },
  };
}
