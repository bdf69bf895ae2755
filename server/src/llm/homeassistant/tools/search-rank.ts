/**
 * How HA's search tool ranks and pages what it finds (components/search/llm.py): an item matches the
 * (case-folded) query by one of its names, aliases or other fields, ranked by how well; the best come first,
 * then by name, then by ID, and a page holds at most five.
 */
import { comparePython } from '../close-matches.js';
import { casefold } from './python-text.js';

export const PAGE_SIZE = 5;

/** One thing a search can find: its ID, the name shown, and the texts it matches on. */
export interface SearchItem {
  id: string;
  name: string | null;
  names: readonly string[];
  /** Read only when a name has not already matched exactly (HA computes them lazily). */
  aliases: () => readonly string[];
  other: readonly string[];
}

/**
 * 0: a name is the query; 1: an alias is; 2: a name contains it; 3: an alias or another field does;
 * undefined: no match. `query` is already case-folded.
 */
export function rank(
  query: string,
  names: readonly string[],
  aliases: () => readonly string[],
  other: readonly string[]
): number | undefined {
  let best: number | undefined;
  for (const name of names) {
    const folded = casefold(name);
    if (folded === query) return 0;
    if (folded.includes(query)) best = 2;
  }
  for (const alias of aliases()) {
    const folded = casefold(alias);
    if (folded === query) return 1;
    if (best === undefined && folded.includes(query)) best = 3;
  }
  if (best === undefined && other.some((value) => casefold(value).includes(query))) best = 3;
  return best;
}

/** How many items matched, and the page after `offset`, best first, as [id, name] pairs. */
export function searchPage(
  items: Iterable<SearchItem>,
  query: string,
  offset: number
): { total: number; results: [string, string | null][] } {
  const matches: { rank: number; folded: string; id: string; name: string | null }[] = [];
  for (const item of items) {
    const found = rank(query, item.names, item.aliases, item.other);
    if (found !== undefined) {
      matches.push({ rank: found, folded: casefold(item.name ?? ''), id: item.id, name: item.name });
    }
  }
  matches.sort((a, b) => a.rank - b.rank || comparePython(a.folded, b.folded) || comparePython(a.id, b.id));
  return {
    total: matches.length,
    results: matches.slice(offset, offset + PAGE_SIZE).map(({ id, name }) => [id, name]),
  };
}
