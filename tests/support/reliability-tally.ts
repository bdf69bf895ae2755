/**
 * What the reliability tests did, for the summary `npm test` and `npm run test:reliability` print: cases
 * run, faults injected, and cases that broke a rule. Each test runs its body through `tallied`, which adds
 * a line to the file named by RELIABILITY_TALLY (tests/run.ts sets it; a file run on its own prints the line
 * instead) whether the body passes or throws: a test that fails is in the summary as failed, never left out.
 */
import { appendFileSync } from 'node:fs';

export interface TallyLine {
  /** What was tried, e.g. "fuzzed JSON-RPC bodies and headers". */
  name: string;
  cases: number;
  faults?: number;
  /** Cases that broke a rule; a test that threw has at least one. */
  failures: number;
  /** Why the test failed, when it did. */
  broke?: string;
}

/** What a test body counts as it goes; it may rename its line once it knows more (e.g. what HA saw). */
export interface Count {
  name: string;
  cases: number;
  faults: number;
  failures: number;
}

export const TALLY_ENV = 'RELIABILITY_TALLY';

function record(line: TallyLine): void {
  const file = process.env[TALLY_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(line)}\n`);
  else process.stderr.write(`[reliability] ${JSON.stringify(line)}\n`);
}

/**
 * Runs a reliability test's body with a counter and records what it counted. When the body throws, the line
 * says so and counts at least one failure, then the error goes on to fail the test.
 */
export async function tallied(name: string, body: (count: Count) => Promise<void> | void): Promise<void> {
  const count: Count = { name, cases: 0, faults: 0, failures: 0 };
  try {
    await body(count);
  } catch (err) {
    const broke = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
    record({ ...line(count), failures: Math.max(count.failures, 1), broke });
    throw err;
  }
  record(line(count));
}

const line = ({ name, cases, faults, failures }: Count): TallyLine => ({
  name,
  cases,
  ...(faults ? { faults } : {}),
  failures,
});

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
        `  ${l.name}: ${l.cases} cases${l.faults ? `, ${l.faults} faults injected` : ''}, ${l.failures} failures${l.broke ? ` (${l.broke})` : ''}`
    ),
    `reliability: ${sum('cases')} cases run, ${sum('faults')} faults injected, ${sum('failures')} failures`,
  ];
}
