/**
 * `homeassistant__search_actions`: the actions HA can perform whose ID, name or description holds every word of
 * the query, best first (an exact ID or name, then matches in the ID and name, then in the description),
 * the first 3 with their target and fields. Names and descriptions are the services' own texts, else their
 * English translations, as HA's tool takes them. From outside: `get_services` and `frontend/get_translations`.
 */
import {
  describeActions,
  getTranslations,
  type ActionDescription,
  type ActionDescriptions,
  type ActionField,
} from '../../../ha/action-commands.js';
import type { Tool } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { comparePython } from '../close-matches.js';
import { sessionOf, type HaApiContext } from '../context.js';
import { SEARCH_ACTIONS } from '../tool-parameters.js';
import { casefold, codePoints, pythonSplit, pythonStrip, splitOnce } from './python-text.js';
import { checkedTool, READS_ONLY } from './checked-tool.js';

const LIMIT = 3;
/** An action whose description is longer than this (compact JSON) is shown without its fields' selectors. */
const MAX_DESCRIPTION = 16 * 1024;

/** An action as the tool shows it. */
export interface FoundAction {
  action: string;
  name: string;
  description: string;
  fields: Record<string, { description?: string; required?: true; selector?: unknown }>;
  target?: unknown;
  note?: string;
}

/** A section's fields stand among the action's own. */
function* actionFields(fields: Record<string, ActionField>): Generator<[string, ActionField]> {
  for (const [field, config] of Object.entries(fields)) {
    if (config && 'fields' in config) yield* Object.entries(config.fields ?? {});
    else yield [field, config ?? {}];
  }
}

/** An action's name, description, fields and target, with translations where the description has no text. */
export function describeAction(
  actionId: string,
  description: ActionDescription,
  translations: Record<string, string>
): FoundAction {
  const [domain, action] = splitOnce(actionId, '.');
  const key = `component.${domain}.services.${action}`;
  const placeholders = Object.entries(description.description_placeholders ?? {});
  const text = (config: object, item: string, translationKey: string): string => {
    const own = (config as Record<string, unknown>)[item];
    let value = String((own || translations[translationKey]) ?? '');
    for (const [placeholder, replacement] of placeholders) {
      value = value.split(`{${placeholder}}`).join(replacement);
    }
    return value;
  };
  const fields: FoundAction['fields'] = {};
  for (const [field, config] of actionFields(description.fields ?? {})) {
    const info: FoundAction['fields'][string] = {};
    const fieldDescription = text(config, 'description', `${key}.fields.${field}.description`);
    if (fieldDescription) info.description = fieldDescription;
    if (config.required) info.required = true;
    if ('selector' in config) info.selector = config.selector;
    fields[field] = info;
  }
  const found: FoundAction = {
    action: actionId,
    name: text(description, 'name', `${key}.name`),
    description: text(description, 'description', `${key}.description`),
    fields,
  };
  // An empty target accepts any entity, device, area, floor or label.
  if ('target' in description) found.target = description.target || {};
  return found;
}

/** The search itself, over the actions and translations HA gave: HA's result object. */
export function searchActions(
  query: string,
  descriptions: ActionDescriptions,
  translations: Record<string, string>
): { actions: FoundAction[]; more?: string } {
  const wanted = casefold(pythonStrip(query));
  const words = pythonSplit(wanted.replaceAll('_', ' '));
  const matches: { rank: number; found: FoundAction }[] = [];
  for (const [domain, actions] of Object.entries(descriptions)) {
    for (const [action, description] of Object.entries(actions)) {
      const found = describeAction(`${domain}.${action}`, description, translations);
      const head = casefold(`${found.action} ${found.name}`.replaceAll('_', ' '));
      const text = `${head} ${casefold(found.description)}`;
      if (!words.every((word) => text.includes(word))) continue;
      const rank =
        wanted === found.action || wanted === casefold(found.name)
          ? 0
          : words.every((word) => head.includes(word))
            ? 1
            : 2;
      matches.push({ rank, found });
    }
  }
  matches.sort((a, b) => a.rank - b.rank || comparePython(a.found.action, b.found.action));
  const actions = matches.slice(0, LIMIT).map(({ found }) => found);
  for (const found of actions) {
    // Some actions list so many options that they would fill the context.
    if (codePoints(JSON.stringify(found)) > MAX_DESCRIPTION) {
      for (const info of Object.values(found.fields)) delete info.selector;
      found.note = 'The selectors of the fields are left out to save space.';
    }
  }
  return matches.length > LIMIT
    ? { actions, more: `${matches.length} actions match. Use a more specific query to find the others.` }
    : { actions };
}

export function searchActionsTool(ctx: HaApiContext): Tool {
  return checkedTool({
    name: 'homeassistant__search_actions',
    title: 'Search actions',
    description:
      'Finds actions Home Assistant can perform: every word of the query has to occur in the action ID, its ' +
      'name or its description, and an exact action ID or name comes first. Gives the 3 best matches with ' +
      'their target and fields.',
    parameters: SEARCH_ACTIONS,
    annotations: READS_ONLY,
    async run(args, { principal }) {
      const { send } = sessionOf(ctx, principal);
      const descriptions = await describeActions(send);
      // HA's tool reads the English texts, whatever the user's language.
      const { resources } = await getTranslations(send, 'en', 'services', Object.keys(descriptions));
      return { text: pythonJson(searchActions(args.query as string, descriptions, resources)) };
    },
  });
}
