/**
 * HA's "Home Assistant" LLM API (id `homeassistant`, administrators only): tools for templates, actions,
 * search, history, config entries, system health and logs, each offered where HA offers it — by the
 * integrations the connected HA has loaded — in HA's order (by owning domain). Its prompt is empty, as HA's.
 * Tools not built yet are simply not offered: the list grows tool by tool, each one faithful.
 */
import type { LlmApi, Tool } from '../api.js';
import { promptDescription } from '../registry.js';
import { noteRefusal, type HaApiContext } from './context.js';
import { configTools } from './tools/config-tools.js';
import { hassioTools } from './tools/hassio.js';
import { historyTools } from './tools/history.js';
import { homeassistantTools } from './tools/homeassistant.js';
import { searchTools } from './tools/search.js';
import { systemHealthTools } from './tools/system-health.js';
import { systemLogTools } from './tools/system-log.js';

export const HOME_ASSISTANT_API_ID = 'homeassistant';
const NAME = 'Home Assistant';

/**
 * One integration's tools, offered when HA has that integration loaded. A source may offer fewer tools
 * where HA does (system_log's log file tool needs a log file and no Supervisor).
 */
interface ToolSource {
  domain: string;
  tools(ctx: HaApiContext): Tool[];
}

/** Sorted by domain when an instance is built, as HA sorts its integrations' `llm` platforms. */
const SOURCES: ToolSource[] = [
  { domain: 'config', tools: configTools },
  { domain: 'hassio', tools: hassioTools },
  { domain: 'history', tools: historyTools },
  // Core itself: always loaded.
  { domain: 'homeassistant', tools: homeassistantTools },
  { domain: 'search', tools: searchTools },
  { domain: 'system_health', tools: systemHealthTools },
  { domain: 'system_log', tools: systemLogTools },
];

export interface HomeAssistantApiDeps extends HaApiContext {
  /** Tools every API shares (date and time), with the owning domain they are listed under. */
  shared?: { domain: string; tool: () => Tool }[];
}

/** A tool whose REST calls as the user tell `onRefused` when HA refuses the user's token. */
export function refusalsNoted(tool: Tool, ctx: HaApiContext): Tool {
  if (!ctx.onRefused) return tool;
  return {
    ...tool,
    run: async (args, context) => {
      try {
        return await tool.run(args, context);
      } catch (err) {
        noteRefusal(ctx, context.principal.token, err);
        throw err;
      }
    },
  };
}

export function createHomeAssistantApi(deps: HomeAssistantApiDeps): LlmApi {
  return {
    id: HOME_ASSISTANT_API_ID,
    name: NAME,
    requiresAdmin: true,
    instance() {
      const home = deps.home.require();
      const loaded = new Set(home.config?.components ?? []);
      const sources: ToolSource[] = [
        ...SOURCES,
        ...(deps.shared ?? []).map(({ domain, tool }) => ({ domain, tools: () => [tool()] })),
      ].sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
      return {
        tools: sources
          .filter((s) => loaded.has(s.domain))
          .flatMap((s) => s.tools(deps))
          .map((tool) => refusalsNoted(tool, deps)),
        prompt: { name: NAME, description: promptDescription(NAME), text: '' },
        resources: [],
      };
    },
  };
}
