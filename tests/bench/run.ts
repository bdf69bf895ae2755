/**
 * `npm run bench`: runs every `tests/bench/*.bench.ts` (each default-exports a Benchmark), prints each
 * figure as it comes and a table at the end, and writes the figures to `bench-results.json` (or the path
 * in BENCH_OUT). `npm run bench -- store` runs only benchmarks whose file name contains "store".
 * Benchmarks measure; they assert nothing. Load stays on loopback and stops by itself.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { at } from '../support/paths.js';
import { meets, type Benchmark, type BenchResults, type BenchRow } from './report.js';

const filters = process.argv.slice(2);
const files = readdirSync(at('tests/bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const results: BenchResults['results'] = [];
const verdict = (row: BenchRow) => {
  const ok = meets(row);
  return ok === undefined ? '' : `${ok ? 'meets' : 'MISSES'} ${row.target!.op} ${row.target!.value}`;
};

console.log(`machine: ${machine}`);
for (const file of files) {
  const bench = (await import(pathToFileURL(join(at('tests/bench'), file)).href)).default as Benchmark;
  console.log(`\n## ${bench.name}`);
  await bench.run({
    report(row) {
      results.push({ ...row, benchmark: bench.name, meets: meets(row) });
      console.log(`  ${row.name}: ${row.value.toFixed(row.value < 10 ? 3 : 1)} ${row.unit}  ${verdict(row)}`);
    },
  });
}

console.log('\n| benchmark | figure | value | target |\n| --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.benchmark} | ${r.name} | ${r.value.toFixed(r.value < 10 ? 3 : 1)} ${r.unit} | ${verdict(r)} |`
  );
}
const out = process.env.BENCH_OUT ?? at('bench-results.json');
const command = ['npm run bench', ...(filters.length ? ['--', ...filters] : [])].join(' ');
const report: BenchResults = { machine, date: new Date().toISOString(), command, results };
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nfigures written to ${out}`);
