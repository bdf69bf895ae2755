/**
 * The Assist prompt, in this project's own words with the structure HA 2026.11 gives it: the live-context
 * guidance and a static context (exposed entities' names, domains and areas, no states), then the control
 * guidance, the area guidance and the note that timers cannot be started (MCP has no device). With nothing
 * exposed, one line asking the model to point the user at exposure instead of the static context.
 */
import { NO_ENTITIES_MESSAGE, toYaml, type EntityInfo } from './live-context.js';

export interface PromptInput {
  entities: EntityInfo[];
  liveContextTool: string;
  turnOnTool: string;
  turnOffTool: string;
}

const LIVE_CONTEXT_GUIDANCE = (tool: string) =>
  [
    'You can read the current state of this home: it is one of your main jobs, so never say you cannot.',
    'Questions about which devices exist (for example "Is there a light in the kitchen?") are answered from',
    'the static context below.',
    'Questions about how things are right now (for example "Is the front door locked?", "Is the fan on?",',
    '"Which mode is the heating in?", "How warm is it outside?"):',
    '    1.  need live data;',
    `    2.  so call ${tool} first; it returns the current states and values;`,
    '    3.  then answer with the values it returned.',
    'Questions that are not about this home are answered from your own knowledge.',
  ].join('\n');

export function assistPrompt(input: PromptInput): string {
  const context =
    input.entities.length === 0
      ? NO_ENTITIES_MESSAGE
      : `${LIVE_CONTEXT_GUIDANCE(input.liveContextTool)}\n\n` +
        `Static Context: the areas and devices of this home:\n${toYaml(input.entities)}`;
  const control = [
    `To control Home Assistant, always use the intent tools. ${input.turnOnTool} locks a lock and ` +
      `${input.turnOffTool} unlocks it. For one device, pass its name and domain; for an area, pass the ` +
      'area name and domain.',
    'When asked to act on every device of a kind, ask which area is meant, unless there is only one such device.',
    'Timers cannot be started from this device.',
  ].join('\n');
  return `${context}\n${control}`;
}
