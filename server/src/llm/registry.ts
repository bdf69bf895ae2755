/**
 * The LLM APIs the options select, as one offer per principal:
 * - one API is served as it is; several merge as HA 2026.11 merges them (helpers/llm.py's MergedAPI): tools
 *   keep their names in first-seen order, a tool every API shares (date and time) is listed once, a name two
 *   APIs use for different tools is namespaced with the API's slug; one prompt with a section per API that
 *   names its tools; the name "Merged LLM API"; administrators only when any API is;
 * - "Control Home Assistant" off keeps only tools marked read-only, and refuses any other tool at call time
 *   too, even when a client knows its name; the prompt is left as it is, as HA leaves it;
 * - tool naming follows the connected HA (prefixed from 2026.9) unless the options force one style.
 */
import type { Home } from '../ha/home.js';
import type { Principal } from '../ha/principals.js';
import type { Logger } from '../log.js';
import type { Options } from '../options.js';
import { ApiUnauthorizedError, type ApiInstance, type LlmApi, type Tool } from './api.js';
import { haVersionAtLeast } from '../ha/version.js';

export const READ_ONLY_REFUSAL =
  'Home Assistant is read-only for MCP clients: this tool changes things and is not allowed';

/** Whether the connected HA names tools with their owning domain (2026.9 and later). */
export function prefixedNames(naming: Options['tool_naming'], haVersion: string): boolean {
  if (naming !== 'auto') return naming === 'prefixed';
  return haVersionAtLeast(haVersion, 2026, 9);
}

/** An API id as python-slugify writes it (HA's merged namespaces): lower case, runs of other characters as `-`. */
export const apiSlug = (id: string) =>
  id
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** HA's prompt description, for one API or the merge. */
export const promptDescription = (apiName: string) => `Default prompt for Home Assistant ${apiName} API`;

function readOnly(tool: Tool): Tool {
  return tool.annotations?.readOnlyHint
    ? tool
    : { ...tool, run: async () => ({ text: READ_ONLY_REFUSAL, isError: true }) };
}

/** Two tools are one when both say they are the same shared tool (HA: only GetDateTime compares equal). */
const sameTool = (a: Tool, b: Tool) => a === b || (a.shared !== undefined && a.shared === b.shared);

export function mergeInstances(apis: { api: LlmApi; instance: ApiInstance }[]): ApiInstance {
  if (apis.length === 1) return apis[0]!.instance;
  const byName = new Map<string, { namespace: string; tool: Tool }[]>();
  for (const { api, instance } of apis) {
    for (const tool of instance.tools) {
      const entries = byName.get(tool.name) ?? [];
      if (!entries.some((e) => sameTool(e.tool, tool))) entries.push({ namespace: apiSlug(api.id), tool });
      byName.set(tool.name, entries);
    }
  }
  const nameOf = (tool: Tool): string => {
    const entries = byName.get(tool.name)!;
    if (entries.length === 1) return tool.name;
    return `${entries.find((e) => sameTool(e.tool, tool))!.namespace}__${tool.name}`;
  };
  const tools = [...byName.values()].flatMap((entries) =>
    entries.map(({ tool }) => (entries.length === 1 ? tool : { ...tool, name: nameOf(tool) }))
  );
  return {
    tools,
    prompt: {
      name: 'Merged LLM API',
      description: promptDescription('Merged LLM API'),
      get text() {
        return apis
          .map(
            ({ api, instance }) =>
              `Follow these instructions for tools from "${apiSlug(api.id)}" ` +
              `(${instance.tools.map(nameOf).join(', ')}):\n${instance.prompt.text}\n\n`
          )
          .join('');
      },
    },
    resources: apis.flatMap(({ instance }) => instance.resources),
  };
}

export class ApiRegistry {
  private readonly apis = new Map<string, LlmApi>();
  private warned = new Set<string>();

  constructor(
    private readonly options: () => Options,
    private readonly log: Logger
  ) {}

  register(api: LlmApi): this {
    this.apis.set(api.id, api);
    return this;
  }

  /** The APIs a user can choose from (for the panel). */
  available(): { id: string; name: string }[] {
    return [...this.apis.values()].map((api) => ({ id: api.id, name: api.name }));
  }

  selected(): LlmApi[] {
    const chosen: LlmApi[] = [];
    for (const id of this.options().llm_apis) {
      const api = this.apis.get(id);
      if (api) chosen.push(api);
      else if (!this.warned.has(id)) {
        this.warned.add(id);
        this.log.warning(
          `the LLM API '${id}' in the options does not exist; known: ${[...this.apis.keys()].join(', ')}`
        );
      }
    }
    return chosen;
  }

  /** Whether a principal may use what the options select (or the one API `only` names). */
  allows(principal: Principal, only?: string): boolean {
    const apis = only === undefined ? this.selected() : [this.apis.get(only)].filter((a) => a !== undefined);
    return principal.isAdmin || !apis.some((api) => api.requiresAdmin);
  }

  /** Whether an API of this id is registered (the per-API endpoints answer 404 for others). */
  has(id: string): boolean {
    return this.apis.has(id);
  }

  /**
   * What the MCP endpoint offers this principal now: the APIs the options select, or the one API `only`
   * names (its own endpoint). Read-only holds either way.
   * @throws {ApiUnauthorizedError} when an API offered is for administrators and the principal is not one
   */
  instanceFor(principal: Principal, only?: string): ApiInstance {
    const apis = only === undefined ? this.selected() : [this.apis.get(only)].filter((a) => a !== undefined);
    if (!principal.isAdmin && apis.some((api) => api.requiresAdmin)) throw new ApiUnauthorizedError();
    const merged = mergeInstances(apis.map((api) => ({ api, instance: api.instance(principal) })));
    if (this.options().control_home_assistant && !principal.readOnly) return merged;
    return {
      ...merged,
      tools: merged.tools.filter((t) => t.annotations?.readOnlyHint),
      // Kept so a call by name is refused clearly (isError), not reported as an unknown tool.
      unlisted: merged.tools.filter((t) => !t.annotations?.readOnlyHint).map(readOnly),
    };
  }
}

export function namingFor(home: Home, options: () => Options): () => boolean {
  return () => prefixedNames(options().tool_naming, home.haVersion);
}
