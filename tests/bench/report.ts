/** What a benchmark reports: rows of figures, printed as a table and written as JSON by `npm run bench`. */
export interface BenchRow {
  /** What was measured, e.g. "request log: rows/s sustained". */
  name: string;
  value: number;
  unit: string;
  /** The target, if the project has one, and whether this figure meets it. */
  target?: { op: '<=' | '>='; value: number };
  /** What the figure is about, for tables made from the results (tests/bench/readme-table.ts). */
  key?: BenchKey;
}

/** One figure of the side-by-side run: a scenario at a home size, and which figure of it. */
export interface BenchKey {
  scenario: string;
  exposed: number;
  figure: 'speed-up' | 'throughput ratio' | 'failed ours' | 'failed HA' | 'rss after load' | 'ready';
}

/** The results file `npm run bench` writes. */
export interface BenchResults {
  machine: string;
  date: string;
  command: string;
  results: (BenchRow & { benchmark: string; meets?: boolean })[];
}

export interface BenchContext {
  /** Adds a figure to the report and prints it at once. */
  report(row: BenchRow): void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<void>;
}

export function meets(row: BenchRow): boolean | undefined {
  if (!row.target) return undefined;
  return row.target.op === '<=' ? row.value <= row.target.value : row.value >= row.target.value;
}

/** Percentile of a sorted array (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
