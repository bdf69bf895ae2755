/**
 * The search integration's tool in HA's "Home Assistant" API: `search__search`, entities, devices, areas,
 * labels, automations, scripts and scenes by name, as HA's search tool finds them (components/search/llm.py).
 * From outside: the states, the entity registry's entries (their aliases), the devices and the areas come
 * from the live model, which the add-on's administrator link keeps in step with HA (this API is for
 * administrators, who see all of them), as HA's tool reads its own memory; the labels, which the model does
 * not keep, are asked of HA as the calling user.
 */
import type { Send } from '../../../ha/commands.js';
import type { Home } from '../../../ha/home.js';
import { fullEntityName, stateName } from '../../../ha/resolve.js';
import { listLabels, type DeviceEntry } from '../../../ha/search-commands.js';
import type { EntityState, RegistryEntry } from '../../../ha/types.js';
import type { Tool, ToolResult } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { sessionOf, type HaApiContext } from '../context.js';
import { checkedTool, READS_ONLY } from './checked-tool.js';
import { SEARCH } from '../tool-parameters.js';
import { casefold, pythonStrip } from './python-text.js';
import { PAGE_SIZE, searchPage, type SearchItem } from './search-rank.js';

const TYPES = ['entity', 'device', 'area', 'label', 'automation', 'script', 'scene'] as const;
export type ItemType = (typeof TYPES)[number];
/** Domains with a type of their own, left out of `entity`. */
const OWN_TYPE_DOMAINS = new Set<string>(['automation', 'script', 'scene']);
const INSTRUCTIONS =
  `Each type shows at most ${PAGE_SIZE} results. To get the next results of one type, call this tool ` +
  'again with the same query, set type to that type, and set offset to its next_offset.';

const domainOf = (entityId: string) => entityId.slice(0, entityId.indexOf('.'));

/** What the search reads from HA, fetched only for the types asked for. */
export interface SearchSources {
  states: EntityState[];
  entries: Record<string, RegistryEntry | null>;
  devices: DeviceEntry[];
  areas: { area_id: string; name: string; aliases: string[] }[];
  labels: { label_id: string; name: string }[];
}

async function readSources(home: Home, send: Send, types: readonly ItemType[]): Promise<SearchSources> {
  const wants = (...which: ItemType[]) => which.some((type) => types.includes(type));
  const withStates = wants('entity', 'automation', 'script', 'scene');
  const labels = wants('label') ? await listLabels(send) : [];
  const searched = withStates
    ? [...home.states.values()].filter((state) => types.includes(typeOfState(state)))
    : [];
  const entries = Object.fromEntries(
    searched.map((s) => [s.entity_id, home.registry.get(s.entity_id) ?? null])
  );
  // The model keeps the devices as HA lists them (config/device_registry/list): every field is there.
  const devices = withStates || wants('device') ? ([...home.devices.values()] as DeviceEntry[]) : [];
  const areas = wants('area') ? [...home.areas.values()] : [];
  return { states: searched, entries, devices, areas, labels };
}

const typeOfState = (state: EntityState): ItemType => {
  const domain = domainOf(state.entity_id);
  return OWN_TYPE_DOMAINS.has(domain) ? (domain as ItemType) : 'entity';
};

/** The items of one type, as HA's search tool lists them. */
export function searchItems(type: ItemType, sources: SearchSources): SearchItem[] {
  switch (type) {
    case 'device':
      return sources.devices
        .filter((device) => device.disabled_by === null || device.disabled_by === undefined)
        .map((device) => ({
          id: device.id,
          name: device.name_by_user || device.name,
          names: [device.name_by_user, device.name].filter((name): name is string => !!name),
          aliases: () => [],
          // Child devices have no model or manufacturer.
          other: device.parent_device_id
            ? []
            : [device.model, device.manufacturer].filter((value): value is string => !!value),
        }));
    case 'area':
      return sources.areas.map((area) => ({
        id: area.area_id,
        name: area.name,
        names: [area.name],
        aliases: () => area.aliases,
        other: [],
      }));
    case 'label':
      return sources.labels.map((label) => ({
        id: label.label_id,
        name: label.name,
        names: [label.name],
        aliases: () => [],
        other: [],
      }));
    default: {
      const devices = new Map(sources.devices.map((device) => [device.id, device]));
      return sources.states
        .filter((state) => typeOfState(state) === type)
        .map((state) => {
          const name = stateName(state);
          const entry = sources.entries[state.entity_id];
          return {
            id: state.entity_id,
            name,
            names: [name],
            // The registry's aliases; `null` stands for the entity's computed full name.
            aliases: () =>
              (entry?.aliases ?? []).map((alias) => pythonStrip(alias ?? fullEntityName(entry!, devices))),
            other: [state.entity_id],
          };
        });
    }
  }
}

interface Group {
  total: number;
  results: [string, string | null][];
  next_offset?: number;
}

/**
 * The result as HA writes it (Python's json.dumps), keeping the order of the results: IDs such as an area
 * `2` would come first in a JavaScript object.
 */
function resultText(groups: [ItemType, Group][], instructions: boolean): string {
  const members = groups.map(([type, group]) => {
    const results = group.results.map(([id, name]) => `${pythonJson(id)}: ${pythonJson(name)}`).join(', ');
    const next = group.next_offset === undefined ? '' : `, "next_offset": ${group.next_offset}`;
    return `${pythonJson(type)}: {"total": ${group.total}, "results": {${results}}${next}}`;
  });
  if (instructions) members.push(`"instructions": ${pythonJson(INSTRUCTIONS)}`);
  return `{${members.join(', ')}}`;
}

export function searchTools(ctx: HaApiContext): Tool[] {
  return [
    checkedTool({
      name: 'search__search',
      title: 'Search Home Assistant',
      description:
        'Find entities, devices, areas, labels, automations, scripts and scenes by name. Answers with ' +
        'the ID and name of each one found, by type.',
      parameters: SEARCH,
      annotations: READS_ONLY,
      async run(args, { principal }): Promise<ToolResult> {
        const value = args as { query: string; type?: ItemType; offset: number };
        const query = casefold(value.query);
        if (value.offset && value.type === undefined) {
          return { text: pythonJson({ error: 'Set type to get more results of that type.' }), isError: true };
        }
        const types = value.type ? [value.type] : TYPES;
        const sources = await readSources(ctx.home.require(), sessionOf(ctx, principal).send, types);
        const groups: [ItemType, Group][] = [];
        for (const type of types) {
          const { total, results } = searchPage(searchItems(type, sources), query, value.offset);
          if (!total) continue;
          const next = value.offset + PAGE_SIZE;
          groups.push([type, next < total ? { total, results, next_offset: next } : { total, results }]);
        }
        const more = value.type === undefined && groups.some(([, group]) => group.next_offset !== undefined);
        return { text: resultText(groups, more) };
      },
    }),
  ];
}
