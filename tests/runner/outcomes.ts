/**
 * What every test ended as, for the closing line of `npm test`: passed, failed, cancelled (a failing hook or
 * an early end stopped it), a hook that failed (before/after of a suite or a file), skipped or todo. Node's
 * own counts leave out hooks of suites and list cancelled tests apart; here every way to fail counts as a
 * failure. Pure: tests/runner/tap-events.ts reads the runner's events from its TAP report.
 */
export type Outcome = 'passed' | 'failed' | 'cancelled' | 'hook' | 'skipped' | 'todo';

/** The part of a node:test `test:pass` / `test:fail` event this needs. */
export interface TestEvent {
  type: 'test:pass' | 'test:fail';
  data: {
    name: string;
    file?: string | undefined;
    skip?: string | boolean | undefined;
    todo?: string | boolean | undefined;
    details?: {
      type?: 'suite' | 'test' | undefined;
      error?: { failureType?: string | undefined } | undefined;
    };
  };
}

/** What one event says, or nothing when it adds nothing (a suite that passed, or failed only through its tests). */
export function classify(event: TestEvent): Outcome | undefined {
  const { data } = event;
  const suite = data.details?.type === 'suite';
  if (data.todo) return 'todo';
  if (data.skip) return 'skipped';
  if (event.type === 'test:pass') return suite ? undefined : 'passed';
  const failure = data.details?.error?.failureType;
  if (failure === 'cancelledByParent') return 'cancelled';
  if (failure === 'hookFailed') return 'hook';
  if (suite && failure === 'subtestsFailed') return undefined;
  return 'failed';
}

export type Counts = Record<Outcome, number>;

export interface Tally {
  counts: Counts;
  /** `file › name` of everything that did not pass, for the closing summary. */
  problems: { outcome: Outcome; where: string }[];
}

export function emptyTally(): Tally {
  return {
    counts: { passed: 0, failed: 0, cancelled: 0, hook: 0, skipped: 0, todo: 0 },
    problems: [],
  };
}

export function add(tally: Tally, event: TestEvent): void {
  const outcome = classify(event);
  if (!outcome) return;
  tally.counts[outcome]++;
  if (outcome === 'passed') return;
  const why = outcome === 'skipped' ? event.data.skip : outcome === 'todo' ? event.data.todo : undefined;
  const where = [event.data.file, event.data.name].filter(Boolean).join(' › ');
  tally.problems.push({ outcome, where: typeof why === 'string' ? `${where} (${why})` : where });
}

const PROBLEM_LABEL: Partial<Record<Outcome, string>> = {
  failed: 'failed',
  cancelled: 'cancelled',
  hook: 'hook failed',
  skipped: 'skipped',
  todo: 'todo',
};

/**
 * The closing lines: what did not pass, then one plain line. Cancelled tests and failed hooks count as
 * failed in it, and the line before says how many of each.
 */
export function closingLines({ counts, problems }: Tally): string[] {
  const failed = counts.failed + counts.cancelled + counts.hook;
  const lines = problems.map((p) => `  ${PROBLEM_LABEL[p.outcome]}: ${p.where}`);
  if (failed > 0) {
    lines.push(`failures: ${counts.failed} in tests, ${counts.cancelled} cancelled, ${counts.hook} in hooks`);
  }
  lines.push(`tests: ${counts.passed} passed, ${failed} failed, ${counts.skipped + counts.todo} skipped`);
  return lines;
}

export const failedCount = ({ counts }: Tally): number => counts.failed + counts.cancelled + counts.hook;

/** The tally of a run's events. */
export function tallyOf(events: TestEvent[]): Tally {
  const tally = emptyTally();
  for (const event of events) add(tally, event);
  return tally;
}
