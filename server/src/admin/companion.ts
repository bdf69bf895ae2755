/**
 * Where the companion integration (`custom_components/mcp_server_addon`) stands, from what the add-on has
 * found out: the copy it carries, the copy in HA's config folder, what Core has loaded and the config entry.
 * Pure: companion-install.ts gathers the facts and does the work.
 */
import type { CompanionEntry, CompanionState } from './contract.js';

export const COMPANION_DOMAIN = 'mcp_server_addon';

export interface CompanionFacts {
  bundled: string | null;
  /** The version in HA's config folder; null when none; undefined when the folder is not mapped (unknowable). */
  files: string | null | undefined;
  /** What Core has loaded; null when it does not know the integration; undefined when HA is away (or starting). */
  loaded: string | null | undefined;
  /** The config entry; null when none; undefined when HA is away. */
  entry: CompanionEntry | null | undefined;
  /** The last setup's failure, in words. */
  failure: string | null;
}

export interface DerivedState {
  state: CompanionState;
  error: string | null;
}

/** Why an entry in `state` does not work, in words. */
function entryProblem(entry: CompanionEntry): string | null {
  switch (entry.state) {
    case 'loaded':
    case 'setup_in_progress':
      return null;
    case 'setup_retry':
      return 'Home Assistant is retrying to set the integration up';
    case 'not_loaded':
      return 'the integration is set up but not loaded (disabled?)';
    default:
      return `the integration's entry is in state ${entry.state}`;
  }
}

/**
 * The state the panel shows. A copy in the config folder that differs from the add-on's is an update; the
 * add-on's own copy that Core has not loaded (or loaded in another version) needs Core to restart; a loaded
 * integration without an entry needs setting up.
 */
export function companionState(facts: CompanionFacts): DerivedState {
  const { bundled, files, loaded, entry } = facts;
  if (bundled === null) {
    return { state: 'error', error: "the add-on's image carries no copy of the integration" };
  }
  if (loaded === undefined || entry === undefined) {
    return { state: 'error', error: 'Home Assistant is restarting, or not answering' };
  }
  // Without the config folder, Core's loaded copy is all there is to go by (installed by hand or HACS).
  const installed = files === undefined ? loaded : files;
  if (installed === null) return { state: 'not_installed', error: null };
  if (installed !== bundled) return { state: 'update_available', error: null };
  if (loaded !== installed) return { state: 'restart_needed', error: null };
  if (facts.failure !== null) return { state: 'error', error: facts.failure };
  if (entry === null) return { state: 'set_up_needed', error: null };
  const problem = entryProblem(entry);
  return problem === null ? { state: 'ready', error: null } : { state: 'error', error: problem };
}

/** The config flow's error keys (the integration's strings.json), in words the owner can act on. */
const FLOW_ERRORS: Record<string, string> = {
  invalid_url: 'the add-on URL is not a valid http(s) address',
  cannot_connect: 'Home Assistant got no answer from the add-on at that address',
  not_the_addon: 'something answered at that address, but not the add-on',
};

/** How a config flow that did not create an entry ended, in words. */
export function flowFailure(
  addonUrl: string,
  ended: { type: string; errors?: Record<string, string> | null; reason?: string }
): string {
  if (ended.type === 'abort') {
    return ended.reason === 'single_instance_allowed'
      ? 'the integration is already set up'
      : `Home Assistant stopped the setup: ${ended.reason ?? 'no reason given'}`;
  }
  const keys = Object.values(ended.errors ?? {});
  const why = keys.map((key) => FLOW_ERRORS[key] ?? key).join('; ') || `it ended with ${ended.type}`;
  return `setting up with ${addonUrl} failed: ${why}`;
}
