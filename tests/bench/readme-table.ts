/**
 * The README's performance table, made from a results file of `npm run bench -- mcp`: the table quotes that
 * file and nothing else (tests/unit/readme-bench.test.ts checks they agree).
 *
 *   node --import tsx tests/bench/readme-table.ts docs/bench/<run>.json           prints the table
 *   node --import tsx tests/bench/readme-table.ts docs/bench/<run>.json --write   puts it in README.md
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { at } from '../support/paths.js';
import type { BenchKey, BenchResults } from './report.js';

export const SIZES = [1_000, 5_000];
export const START = '<!-- bench-table: made by tests/bench/readme-table.ts from ';
export const END = '<!-- bench-table end -->';

const SPEED_UPS: [scenario: string, label: string][] = [
  ['tools/list', '`tools/list` p50'],
  ['live context', 'live context p50'],
  ['live context, domain light', 'live context filtered by domain, p50'],
  ['context-snapshot resource', 'context-snapshot resource p50'],
  ['prompts/get', '`prompts/get` p50'],
  ['intent HassTurnOn (light)', 'an intent call (`HassTurnOn`) p50'],
  ['render_template', 'a template (`homeassistant__render_template`) p50'],
  ['search', '`search__search` p50'],
  ['history', 'statistics (`history__get_history`) p50'],
  ['initialize', '`initialize` p50'],
];
const CONCURRENT: [scenario: string, label: string][] = [
  ['tools/list', '`tools/list`'],
  ['live context', 'live context'],
  ['prompts/get', '`prompts/get`'],
  ['initialize', '`initialize`'],
];

const times = (x: number) => `${x < 10 ? x.toFixed(1) : x.toFixed(0)}x`;

export function readmeTable(results: BenchResults): string {
  const figure = (scenario: string, exposed: number, which: BenchKey['figure']) => {
    const row = results.results.find(
      (r) => r.key?.scenario === scenario && r.key.exposed === exposed && r.key.figure === which
    );
    if (!row) throw new Error(`the results have no ${which} for ${scenario} at ${exposed} entities`);
    return row.value;
  };
  const rows: [string, ...string[]][] = [
    ...SPEED_UPS.map(([scenario, label]): [string, ...string[]] => [
      `${label}, speed-up`,
      ...SIZES.map((n) => times(figure(scenario, n, 'speed-up'))),
    ]),
    ...CONCURRENT.map(([scenario, label]): [string, ...string[]] => [
      `16 concurrent clients, ${label}: requests/s ours ÷ HA's (failed requests ours / HA)`,
      ...SIZES.map(
        (n) =>
          `${times(figure(scenario, n, 'throughput ratio'))} (${figure(scenario, n, 'failed ours')} / ${figure(scenario, n, 'failed HA')})`
      ),
    ]),
    [
      'resident memory after the load',
      ...SIZES.map((n) => `${figure('memory', n, 'rss after load').toFixed(0)} MB`),
    ],
    ['from start to ready', ...SIZES.map((n) => `${(figure('start', n, 'ready') / 1000).toFixed(1)} s`)],
  ];
  const header = ['scenario', ...SIZES.map((n) => `${n.toLocaleString('en')} entities`)];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The table in the README, and the results file it names. */
export function readmeSection(readme: string): { file: string; table: string } | undefined {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return undefined;
  const opening = readme.slice(start, readme.indexOf('\n', start));
  const file = opening.slice(START.length).replace(/ -->$/, '').trim();
  return { file, table: readme.slice(readme.indexOf('\n', start) + 1, end).trim() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, flag] = process.argv.slice(2);
  if (!file) throw new Error('name a results file of npm run bench -- mcp');
  const table = readmeTable(JSON.parse(readFileSync(at(file), 'utf8')) as BenchResults);
  if (flag !== '--write') console.log(table);
  else {
    const readme = readFileSync(at('README.md'), 'utf8');
    const section = readmeSection(readme);
    if (!section) throw new Error(`README.md has no bench table section (${START}…${END})`);
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    writeFileSync(
      at('README.md'),
      `${readme.slice(0, start)}${START}${file} -->\n${table}\n${readme.slice(end)}`
    );
    console.log(`README.md: table from ${file}`);
  }
}
