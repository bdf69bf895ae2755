/**
 * A satellite-aware client names the device it speaks for (`_meta["io.home-assistant/device_id"]`); HA then
 * prefers targets in that device's area and floor when a name is ambiguous (helpers/llm.py's
 * async_get_match_preferences). The device's area is its own, or its parent's for a child device without
 * one. As in HA, the area is preferred even when it has no floor, and nothing is preferred for a device
 * without an area or unknown to the registry.
 */
import type { Home } from '../../ha/home.js';
import { deviceAreaId } from '../../ha/resolve.js';

export interface MatchPreferences {
  preferred_area_id?: string;
  preferred_floor_id?: string;
}

export function matchPreferences(home: Home, deviceId: string | undefined): MatchPreferences {
  const areaId = deviceAreaId(home.devices, deviceId ?? null);
  const area = areaId ? home.areas.get(areaId) : undefined;
  if (!area) return {};
  return {
    preferred_area_id: area.area_id,
    ...(area.floor_id && home.floors.has(area.floor_id) && { preferred_floor_id: area.floor_id }),
  };
}
