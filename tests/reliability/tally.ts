/**
 * What the reliability tests did, for the summary `npm test` and `npm run test:reliability` print: cases
 * run, faults injected, and cases that broke a rule. Each test adds a line to the file named by
 * RELIABILITY_TALLY (tests/run.ts sets it); a file run on its own prints its line instead.
 */
import { appendFileSync } from 'node:fs';

export interface TallyLine {
  /** What was tried, e.g. "fuzzed JSON-RPC bodies and headers". */
  name: string;
  cases: number;
  faults?: number;
  /** Cases that broke a rule; the test itself fails when this is not zero. */
  failures: number;
}

export const TALLY_ENV = 'RELIABILITY_TALLY';

export function tally(line: TallyLine): void {
  const file = process.env[TALLY_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(line)}\n`);
  else process.stderr.write(`[reliability] ${JSON.stringify(line)}\n`);
}

/** The summary lines for a tally file's content. */
export function summarise(content: string): string[] {
  const lines = content
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TallyLine);
  if (lines.length === 0) return [];
  const sum = (key: 'cases' | 'faults' | 'failures') => lines.reduce((n, l) => n + (l[key] ?? 0), 0);
  return [
    ...lines.map(
      (l) =>
        `  ${l.name}: ${l.cases} cases${l.faults ? `, ${l.faults} faults injected` : ''}, ${l.failures} failures`
    ),
    `reliability: ${sum('cases')} cases run, ${sum('faults')} faults injected, ${sum('failures')} failures`,
  ];
}
