/** A mutation score as Stryker defines it: caught mutants (killed or timed out) of all that compiled and ran. */
export interface Tally {
  statuses: string[];
  detected: number;
  valid: number;
  score: number;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

export function score(statuses: string[]): Tally {
  const detected = statuses.filter((s) => DETECTED.has(s)).length;
  const valid = detected + statuses.filter((s) => UNDETECTED.has(s)).length;
  return { statuses, detected, valid, score: valid === 0 ? 100 : (100 * detected) / valid };
}
