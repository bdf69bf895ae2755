/**
 * `config__search_integrations`: the integrations and helpers that can be set up through the UI (a config
 * flow), installed or not, whose name, domain or brand holds the query, the best 15 first, as HA's config
 * tool ranks them. From outside: `integration/descriptions` (administrators only), the names HA translates
 * in its configured language (`get_config`, `frontend/get_translations` category `title`).
 */
import { getTranslations } from '../../../ha/action-commands.js';
import { getConfig } from '../../../ha/commands.js';
import {
  integrationDescriptions,
  type IntegrationDescription,
  type IntegrationDescriptions,
} from '../../../ha/config-entry-commands.js';
import type { Tool } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { comparePython } from '../close-matches.js';
import { sessionOf, type HaApiContext } from '../context.js';
import { SEARCH_INTEGRATIONS } from '../tool-parameters.js';
import { casefold } from './python-text.js';
import { checkedTool, READS_ONLY } from './checked-tool.js';

export const SEARCH_LIMIT = 15;

export interface IntegrationMatch {
  domain: string;
  name: string;
}

interface Ranked extends IntegrationMatch {
  rank: number;
  folded: string;
}

/** Each catalogue entry a search looks at, with its brand's name (case-folded; empty when it has none). */
function* candidates(
  descriptions: IntegrationDescriptions,
  type: 'integration' | 'helper' | undefined
): Generator<[string, IntegrationDescription, string]> {
  if (type !== 'helper') {
    const integrations = { ...descriptions.core.integration, ...descriptions.custom.integration };
    for (const [key, info] of Object.entries(integrations)) {
      if (Object.hasOwn(info, 'integration_type')) yield [key, info, ''];
      else if (info.integrations && Object.keys(info.integrations).length) {
        // A brand: its integrations are found by the brand's name too.
        const brand = casefold(Object.hasOwn(info, 'name') ? info.name! : key);
        for (const [domain, meta] of Object.entries(info.integrations)) yield [domain, meta, brand];
      }
    }
  }
  if (type !== 'integration') {
    const helpers = { ...descriptions.core.helper, ...descriptions.custom.helper };
    for (const [domain, meta] of Object.entries(helpers)) yield [domain, meta, ''];
  }
}

/**
 * The best `limit` matches of a case-folded query, best first: 0 the domain or name is the query, 1 the
 * brand is, 2 the domain or name holds it, 3 the brand does; then by name (case-folded), domain and name.
 * Only what a config flow can set up; a name HA does not give is its `title` translation, else the domain.
 */
export function rankIntegrations(
  query: string,
  descriptions: IntegrationDescriptions,
  titles: Record<string, string>,
  type?: 'integration' | 'helper',
  limit = SEARCH_LIMIT
): IntegrationMatch[] {
  const found: Ranked[] = [];
  for (const [domain, meta, brand] of candidates(descriptions, type)) {
    if (!meta.config_flow) continue;
    const titleKey = `component.${domain}.title`;
    const name = meta.name || (Object.hasOwn(titles, titleKey) && titles[titleKey]) || domain;
    const domainFolded = casefold(domain);
    const folded = casefold(name);
    let rank: number;
    if (query === domainFolded || query === folded) rank = 0;
    else if (query === brand) rank = 1;
    else if (domainFolded.includes(query) || folded.includes(query)) rank = 2;
    else if (brand && brand.includes(query)) rank = 3;
    else continue;
    found.push({ rank, folded, domain, name });
  }
  found.sort(
    (a, b) =>
      a.rank - b.rank ||
      comparePython(a.folded, b.folded) ||
      comparePython(a.domain, b.domain) ||
      comparePython(a.name, b.name)
  );
  return found.slice(0, limit).map(({ domain, name }) => ({ domain, name }));
}

export function searchIntegrationsTool(ctx: HaApiContext): Tool {
  return checkedTool({
    name: 'config__search_integrations',
    title: 'Search available integrations',
    description:
      'Searches all integrations and helpers Home Assistant can set up from its UI, installed or not, by ' +
      'name, domain or brand. For the integrations already set up, use config__get_config_entries.',
    parameters: SEARCH_INTEGRATIONS,
    annotations: READS_ONLY,
    async run(args, { principal }) {
      const query = casefold(args.query as string);
      const type = args.type as 'integration' | 'helper' | undefined;
      const send = sessionOf(ctx, principal).send;
      const [descriptions, config] = await Promise.all([integrationDescriptions(send), getConfig(send)]);
      // HA's tools are called without a language over MCP: names come in HA's own.
      const { resources: titles } = await getTranslations(
        send,
        config.language || 'en',
        'title',
        descriptions.core.translated_name ?? []
      );
      const result = rankIntegrations(query, descriptions, titles, type);
      return { text: pythonJson({ result }) };
    },
  });
}
