/**
 * The homeassistant integration's tools in HA's "Home Assistant" API, in HA's order: templates, then finding
 * and calling actions. Core offers them on every install.
 */
import type { Tool } from '../../api.js';
import type { HaApiContext } from '../context.js';
import { callActionTool } from './call-action.js';
import { renderTemplateTool } from './render-template.js';
import { searchActionsTool } from './search-actions.js';

export function homeassistantTools(ctx: HaApiContext): Tool[] {
  return [renderTemplateTool(ctx), searchActionsTool(ctx), callActionTool(ctx)];
}
