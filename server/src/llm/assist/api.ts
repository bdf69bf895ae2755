/** The Assist API ("Device control" from HA 2026.11): tools, prompt and the context-snapshot resource. */
import type { Home } from '../../ha/home.js';
import type { LlmApi, Resource } from '../api.js';
import type { HaCalls } from './ha-calls.js';
import { describeEntities } from './live-context.js';
import { assistPrompt } from './prompt.js';
import { assistTools, fullLiveContext, liveContextOptions, toolName } from './tools.js';
import { haVersionAtLeast } from '../../ha/version.js';
import { promptDescription } from '../registry.js';

export const CONTEXT_SNAPSHOT_URI = 'homeassistant://assist/context-snapshot';

/** HA renamed the Assist API "Device control" (seen on 2026.11; earlier releases call it "Assist"). */
export function assistApiName(haVersion: string): string {
  return haVersionAtLeast(haVersion, 2026, 11) ? 'Device control' : 'Assist';
}

export interface AssistApiDeps {
  home: Home;
  calls: HaCalls;
  /** Whether tool names carry their owning domain (`intent__HassTurnOn`). */
  prefixed: () => boolean;
}

const prompts = new WeakMap<Home, { key: string; text: string }>();

export function createAssistApi(deps: AssistApiDeps): LlmApi {
  return {
    id: 'assist',
    get name() {
      return assistApiName(deps.home.haVersion);
    },
    instance() {
      const home = deps.home.require();
      const prefixed = deps.prefixed();
      const tools = assistTools({ home, calls: deps.calls, prefixed });
      const name = assistApiName(home.haVersion);
      const liveTool = tools.find((t) => t.bare === 'GetLiveContext');
      const resources: Resource[] = liveTool
        ? [
            {
              uri: CONTEXT_SNAPSHOT_URI,
              name: 'assist_context_snapshot',
              title: 'Assist context snapshot',
              description: `What ${liveTool.name} returns without filters: the exposed entities as they are now.`,
              mimeType: 'text/plain',
              async read() {
                const result = fullLiveContext(deps.home.require());
                return result.ok ? result.text : result.error;
              },
            },
          ]
        : [];
      return {
        tools,
        // Built only when a client asks for it: the static context lists every exposed entity.
        prompt: {
          name,
          description: promptDescription(name),
          get text() {
            // Rendered once per change of the home and naming style.
            const key = `${home.revision}:${prefixed}`;
            const cached = prompts.get(home);
            if (cached?.key === key) return cached.text;
            const text = assistPrompt({
              entities: describeEntities(home.exposedEntities(), liveContextOptions(home), false).map(
                (d) => d.info
              ),
              liveContextTool:
                liveTool?.name ?? toolName('homeassistant', 'GetLiveContext', 'GetLiveContext', prefixed),
              turnOnTool: toolName('intent', 'HassTurnOn', 'HassTurnOn', prefixed),
              turnOffTool: toolName('intent', 'HassTurnOff', 'HassTurnOff', prefixed),
            });
            prompts.set(home, { key, text });
            return text;
          },
        },
        resources,
      };
    },
  };
}
