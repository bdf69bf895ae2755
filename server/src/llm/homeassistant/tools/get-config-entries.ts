/**
 * `config__get_config_entries`: the installed config entries (integrations and helpers, ignored and disabled
 * ones too) with their state and, where they failed, why, as HA's config tool lists them. From outside:
 * `config_entries/get` and the English `exceptions` translations of the integrations whose reasons are
 * translated (`frontend/get_translations`).
 */
import { getTranslations } from '../../../ha/action-commands.js';
import type { Send } from '../../../ha/commands.js';
import { getConfigEntries, type ConfigEntry } from '../../../ha/config-entry-commands.js';
import type { Tool } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { sessionOf, type HaApiContext } from '../context.js';
import { GET_CONFIG_ENTRIES } from '../tool-parameters.js';
import { entryItem, entryReason, reasonDomainOf, shortEntryIds, STATUS_STATES } from './config-entries.js';
import { checkedTool, READS_ONLY } from './checked-tool.js';

/** The English `exceptions` texts the entries' reasons need (HA translates reasons in English). */
export async function reasonTranslations(
  send: Send,
  entries: readonly ConfigEntry[]
): Promise<Record<string, string>> {
  const domains = [...new Set(entries.map(reasonDomainOf).filter((d): d is string => d !== undefined))];
  if (!domains.length) return {};
  return (await getTranslations(send, 'en', 'exceptions', domains)).resources;
}

/** The entries of these domains (any case), or all. */
function ofDomains(entries: ConfigEntry[], domain: string | string[] | undefined): ConfigEntry[] {
  if (domain === undefined) return entries;
  const domains = new Set((typeof domain === 'string' ? [domain] : domain).map((d) => d.toLowerCase()));
  return entries.filter((entry) => domains.has(entry.domain.toLowerCase()));
}

export function getConfigEntriesTool(ctx: HaApiContext): Tool {
  return checkedTool({
    name: 'config__get_config_entries',
    title: 'Get config entries',
    description:
      'Lists the config entries installed in Home Assistant (integrations and helpers that are set up), with ' +
      "each one's status ('loaded', 'error', 'not_loaded') and, for those that failed, the reason in words. " +
      'Use it to see what is set up and what is not working.',
    parameters: GET_CONFIG_ENTRIES,
    annotations: READS_ONLY,
    async run(args, { principal }) {
      const status = args.status as keyof typeof STATUS_STATES | undefined;
      const send = sessionOf(ctx, principal).send;
      let entries = ofDomains(await getConfigEntries(send), args.domain as string | string[] | undefined);
      // Short ids are made unique among the domain filter's entries, before the status filter.
      const shortIds = shortEntryIds(entries);
      if (status !== undefined) entries = entries.filter((entry) => STATUS_STATES[status].has(entry.state));
      const translations = await reasonTranslations(send, entries);
      const result = entries.map((entry) =>
        entryItem(entry, shortIds.get(entry.entry_id)!, entryReason(entry, translations))
      );
      return { text: pythonJson({ result }) };
    },
  });
}
