/**
 * `config__reload_config_entry`: reloads a config entry named by its short id (`domain:XXXX`), as HA's config
 * tool does, and says the state it is in afterwards. From outside: `config_entries/get` to resolve the id,
 * REST `POST /api/config/config_entries/entry/{id}/reload` as the calling user (an administrator), then
 * `config_entries/get` again for the state and reason.
 */
import { getConfigEntries, reloadConfigEntry, type ConfigEntry } from '../../../ha/config-entry-commands.js';
import type { Tool, ToolResult } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { sessionOf, type HaApiContext } from '../context.js';
import { RELOAD_CONFIG_ENTRY } from '../tool-parameters.js';
import { entryReason, resolveShortEntryId } from './config-entries.js';
import { reasonTranslations } from './get-config-entries.js';
import { checkedTool } from './checked-tool.js';

const failed = (error: string): ToolResult => ({ text: pythonJson({ error }), isError: true });

export function reloadConfigEntryTool(ctx: HaApiContext): Tool {
  return checkedTool({
    name: 'config__reload_config_entry',
    title: 'Reload config entry',
    description:
      'Reloads one config entry of Home Assistant, named by its entry_id as config__get_config_entries shows ' +
      'it. Use it to bring an integration back after a passing setup or connection failure, or to apply ' +
      'changes.',
    parameters: RELOAD_CONFIG_ENTRY,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run(args, { principal }) {
      const entryId = args.entry_id as string;
      const send = sessionOf(ctx, principal).send;
      const notFound = failed(`Config entry '${entryId}' not found.`);
      const entry = resolveShortEntryId(await getConfigEntries(send), entryId);
      if (!entry) return notFound;
      if (entry.disabled_by !== null) {
        return failed(`Config entry '${entryId}' cannot be reloaded because it is disabled.`);
      }
      if (entry.source === 'ignore') {
        return failed(`Config entry '${entryId}' cannot be reloaded because it is ignored.`);
      }
      const outcome = await reloadConfigEntry(await ctx.coreUrl(), principal.token, entry.entry_id);
      const after = (await getConfigEntries(send)).find((e: ConfigEntry) => e.entry_id === entry.entry_id);
      if (outcome === 'not_found' || !after) return notFound;
      if (outcome === 'not_allowed') {
        return failed(`Config entry '${entryId}' cannot be reloaded in state '${after.state}'.`);
      }
      const result: Record<string, unknown> = { entry_id: entryId, state: after.state };
      const reason = entryReason(after, await reasonTranslations(send, [after]));
      if (reason !== null) result.reason = reason;
      return { text: pythonJson({ result }) };
    },
  });
}
