/**
 * The LLM APIs the options select, as one offer per principal:
 * - one API is served as it is; several merge as HA merges them (tool names prefixed with the API's
 *   slugified name, one prompt with a section per API, the name "Merged LLM API");
 * - "Control Home Assistant" off keeps only tools marked read-only, and refuses any other tool at call time
 *   too, even when a client knows its name;
 * - tool naming follows the connected HA (prefixed from 2026.9) unless the options force one style.
 */
import type { Home } from '../ha/home.js';
import type { Principal } from '../ha/principals.js';
import type { Logger } from '../log.js';
import type { Options } from '../options.js';
import type { ApiInstance, LlmApi, Tool } from './api.js';
import { haVersionAtLeast } from '../ha/version.js';

export const READ_ONLY_REFUSAL =
  'Home Assistant is read-only for MCP clients: this tool changes things and is not allowed';

/** Whether the connected HA names tools with their owning domain (2026.9 and later). */
export function prefixedNames(naming: Options['tool_naming'], haVersion: string): boolean {
  if (naming !== 'auto') return naming === 'prefixed';
  return haVersionAtLeast(haVersion, 2026, 9);
}

export const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s-]+/g, '_');

function readOnly(tool: Tool): Tool {
  return tool.annotations?.readOnlyHint
    ? tool
    : { ...tool, run: async () => ({ text: READ_ONLY_REFUSAL, isError: true }) };
}

export function mergeInstances(apis: { api: LlmApi; instance: ApiInstance }[]): ApiInstance {
  if (apis.length === 1) return apis[0]!.instance;
  return {
    tools: apis.flatMap(({ api, instance }) =>
      instance.tools.map((tool) => ({ ...tool, name: `${slugify(api.name)}__${tool.name}` }))
    ),
    prompt: {
      name: 'Merged LLM API',
      description: 'The default prompt of the merged LLM APIs',
      get text() {
        return apis
          .map(
            ({ api, instance }) =>
              `Follow these instructions for tools from "${slugify(api.name)}":\n${instance.prompt.text}\n\n`
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

  /** What the MCP endpoint offers this principal now. */
  instanceFor(principal: Principal): ApiInstance {
    const apis = this.selected();
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
