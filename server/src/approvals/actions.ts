/**
 * The verbs the server names a change with (targets.ts: "unlock", "turn on", "call lock.lock on"), as the
 * ids the panel and the phone's question word them by in the user's language (`approvals.actions.<id>`).
 * Pure: the panel bundles it too.
 */
export const ACTIONS = {
  'turn on': 'turn_on',
  'turn off': 'turn_off',
  lock: 'lock',
  unlock: 'unlock',
  open: 'open',
  close: 'close',
  toggle: 'toggle',
  'set the position of': 'set_position',
  run: 'run',
  use: 'use',
} as const;

export type Action = (typeof ACTIONS)[keyof typeof ACTIONS];

/** A verb as words can take it: an action id, an action call (`call lock.lock on`), or neither. */
export type VerbKind = { action: Action } | { call: string } | { other: string };

export function verbKind(verb: string): VerbKind {
  const call = /^call (\S+) on$/.exec(verb);
  if (call) return { call: call[1]! };
  const action = (ACTIONS as Record<string, Action>)[verb];
  return action ? { action } : { other: verb };
}
