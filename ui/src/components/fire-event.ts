/**
 * Events up, properties down: one typed helper for the events the panel's parts send each other, with the
 * payload in `detail.value` (as Home Assistant's frontend does).
 */
import type { EntityFilter } from '../data/entities';
import type { LogFilter } from '../data/logs';

export interface PanelEvents {
  /** Exposure or settings changed: the panel reads the overview (counts, tools offered) again. */
  changed: undefined;
  /** The log's filter bar changed a filter. */
  'filter-changed': LogFilter;
  /** The entity list's filter bar changed a filter. */
  'entity-filter-changed': EntityFilter;
  /** A detail view asks to be closed. */
  closed: undefined;
}

export type PanelEvent<K extends keyof PanelEvents> = CustomEvent<{ value: PanelEvents[K] }>;

export function fireEvent<K extends keyof PanelEvents>(
  node: EventTarget,
  type: K,
  value?: PanelEvents[K]
): void {
  node.dispatchEvent(new CustomEvent(type, { detail: { value }, bubbles: true, composed: true }));
}
