/**
 * `npm test`: type-check and format check, build, then every test file in one run of node's test runner,
 * with one real Home Assistant (tests/support/ha/harness.ts) shared by the files that need it.
 *
 *   npm test                 everything
 *   npm test -- --unit       only the tests that need no Home Assistant (seconds)
 *   npm test -- --no-build   skip lint and build (when iterating)
 *   npm test -- FILTER...    only test files whose path contains one of the filters
 *   npm run test:reliability the fault, abuse and load tests, with their summary (also part of npm test)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startTestHa, type TestHa } from './support/ha/harness.js';
import { testHaEnv } from './support/ha/fixture-env.js';
import { at, ROOT } from './support/paths.js';
import { summarise, TALLY_ENV } from './support/reliability-tally.js';
import { closingLines, failedCount, tallyOf } from './runner/outcomes.js';
import { eventsFromTap } from './runner/tap-events.js';

/** Quick tests that need no Home Assistant; and the rest: the add-on build, then everything against HA. */
const UNIT_DIRS = ['tests/unit'];
const SLOW_DIRS = ['tests/build', 'tests/clients'];
const HA_DIRS = ['tests/ha', 'tests/browser', 'tests/reliability', 'tests/addon', 'tests/companion'];

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const build = !args.includes('--no-build');
const filters = args.filter((a) => !a.startsWith('--'));

function say(message: string): void {
  process.stderr.write(`[npm test] ${message}\n`);
}

function testFiles(dirs: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.test.ts')) found.push(path);
    }
  };
  for (const dir of dirs) walk(at(dir));
  const rel = found.map((f) => relative(ROOT, f)).sort();
  return filters.length ? rel.filter((f) => filters.some((x) => f.includes(x))) : rel;
}

function run(command: string, argv: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  if (build) {
    say('type-check and format check (npm run lint)');
    if ((await run('npm', ['run', '--silent', 'lint'])) !== 0) return 1;
    say('build (npm run build)');
    if ((await run('npm', ['run', '--silent', 'build'])) !== 0) return 1;
  }
  const unit = testFiles(UNIT_DIRS);
  const slow = unitOnly ? [] : testFiles(SLOW_DIRS);
  const integration = unitOnly ? [] : testFiles(HA_DIRS);
  const files = [...unit, ...slow, ...integration];
  if (files.length === 0) {
    say('no test files match');
    return 1;
  }

  let ha: TestHa | undefined;
  let env: Record<string, string> = {};
  if (integration.length > 0) {
    say(`starting the test Home Assistant for ${integration.length} integration test file(s)`);
    try {
      ha = await startTestHa();
    } catch (err) {
      say(`the test Home Assistant did not start:\n${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    env = testHaEnv(ha);
  }

  const results = mkdtempSync(join(tmpdir(), 'ha-mcp-tests-'));
  const tap = join(results, 'results.tap');
  const tallyFile = join(results, 'reliability.jsonl');
  writeFileSync(tallyFile, '');
  say(`running ${files.length} test file(s)`);
  const code = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-timeout=600000',
      // One file at a time: the integration tests share one Home Assistant, and the build test rewrites dist/.
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { ...env, [TALLY_ENV]: tallyFile }
  );
  if (ha) {
    if (code !== 0) say(`Home Assistant's log, last lines:\n${ha.logTail(40)}`);
    await ha.stop();
  }

  // One plain closing line for whoever reads only the end of the output: every test by how it ended, with
  // cancelled tests and failed hooks counted as failures (tests/runner/outcomes.ts).
  const reliability = summarise(readFileSync(tallyFile, 'utf8'));
  if (reliability.length) process.stdout.write(`\n${reliability.join('\n')}\n`);
  const outcomes = tallyOf(eventsFromTap(readFileSync(tap, 'utf8'), ROOT));
  process.stdout.write(`\n${closingLines(outcomes).join('\n')}\n`);
  return code !== 0 || failedCount(outcomes) > 0 ? 1 : 0;
}

process.exitCode = await main();
