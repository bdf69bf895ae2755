/**
 * Target matching for the live-context filters, after HA's intent.async_match_targets: domains first, then
 * the name (any name or alias, case-insensitive), then the area (by name or alias; an area that does not
 * exist is its own failure). Pure.
 */
import type { Area, ResolvedEntity } from '../../ha/types.js';

export interface MatchConstraints {
  name?: string | undefined;
  area?: string | undefined;
  domains?: string[] | undefined;
}

export type MatchResult =
  | { ok: true; entities: ResolvedEntity[] }
  | { ok: false; reason: 'invalid_area' | 'name' | 'area' | 'domain'; area?: string };

/** HA compares names case-insensitively with surrounding space and trailing punctuation ignored. */
export function normalizeName(name: string): string {
  return name
    .trim()
    .replace(/[\s.!?,;:]+$/u, '')
    .toLocaleLowerCase();
}

function areasNamed(all: ResolvedEntity[], name: string): Set<string> {
  const wanted = normalizeName(name);
  const found = new Set<string>();
  const seen = new Map<string, Area>();
  for (const entity of all) if (entity.area) seen.set(entity.area.area_id, entity.area);
  for (const area of seen.values()) {
    if ([area.name, ...area.aliases].some((n) => normalizeName(n) === wanted)) found.add(area.area_id);
  }
  return found;
}

/**
 * @param candidates the entities that may match (exposed ones)
 * @param universe every entity, to know which areas exist
 */
export function matchTargets(
  candidates: ResolvedEntity[],
  constraints: MatchConstraints,
  universe: ResolvedEntity[],
  knownAreas?: Area[]
): MatchResult {
  let areaIds: Set<string> | undefined;
  if (constraints.area) {
    areaIds = knownAreas
      ? new Set(
          knownAreas
            .filter((a) =>
              [a.name, ...a.aliases].some((n) => normalizeName(n) === normalizeName(constraints.area!))
            )
            .map((a) => a.area_id)
        )
      : areasNamed(universe, constraints.area);
    if (areaIds.size === 0) return { ok: false, reason: 'invalid_area', area: constraints.area };
  }
  let matched = candidates;
  if (constraints.domains?.length) {
    const domains = new Set(constraints.domains);
    matched = matched.filter((e) => domains.has(e.domain));
    if (matched.length === 0) return { ok: false, reason: 'domain' };
  }
  if (constraints.name) {
    const wanted = normalizeName(constraints.name);
    matched = matched.filter((e) => e.names.some((n) => normalizeName(n) === wanted));
    if (matched.length === 0) return { ok: false, reason: 'name' };
  }
  if (areaIds) {
    matched = matched.filter((e) => e.area && areaIds!.has(e.area.area_id));
    if (matched.length === 0) return { ok: false, reason: 'area' };
  }
  return { ok: true, entities: matched };
}
