/**
 * `npm run test:mutation`: runs Stryker over each group of dangerous modules (tests/mutation/modules.ts) with
 * the fast tests that guard it, prints the score of each module and group, and fails when a group is under
 * its threshold.
 *
 *   npm run test:mutation                       every group
 *   npm run test:mutation -- oauth redaction    only these groups (ids in modules.ts)
 *   npm run test:mutation -- --incremental      reuse the last run's results for unchanged code and tests
 *   npm run test:mutation -- oauth --concurrency 1   other arguments go to Stryker
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { at, ROOT } from '../support/paths.js';
import { GROUPS, mutateGlobs, type MutationGroup } from './modules.js';
import { score } from './score.js';

// Group ids name groups; everything else (`--concurrency 1`, `--incremental`) goes to Stryker as it is.
const args = process.argv.slice(2);
const isGroup = (arg: string) => GROUPS.some((g) => g.id === arg);
const wanted = args.filter(isGroup);
const strykerArgs = args.filter((arg) => !isGroup(arg));
const unknown = strykerArgs.filter((arg, i) => !arg.startsWith('-') && !strykerArgs[i - 1]?.startsWith('--'));
if (unknown.length) {
  process.stderr.write(
    `[mutation] unknown group ${unknown.join(', ')}; groups: ${GROUPS.map((g) => g.id).join(', ')}\n`
  );
  process.exit(2);
}
const groups = wanted.length ? GROUPS.filter((g) => wanted.includes(g.id)) : GROUPS;

interface Report {
  files: Record<string, { mutants: { status: string }[] }>;
}

/** Runs Stryker on one group; the lines to print, and whether the group met its threshold. */
function mutate(group: MutationGroup): { lines: string[]; ok: boolean } {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [
      at('node_modules/@stryker-mutator/core/bin/stryker.js'),
      'run',
      'tests/mutation/stryker.config.mjs',
      ...strykerArgs,
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, MUTATION_GROUP: JSON.stringify({ ...group, mutate: mutateGlobs(group) }) },
    }
  );
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (run.status !== 0)
    return { lines: [`  FAIL ${group.name}: Stryker exited with ${run.status ?? run.signal}`], ok: false };
  const report = JSON.parse(readFileSync(at(`tests/artifacts/mutation/${group.id}.json`), 'utf8')) as Report;
  const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
  const total = score(files.flatMap(([, f]) => f.mutants.map((m) => m.status)));
  const ok = total.score >= group.threshold;
  return {
    ok,
    lines: [
      `  ${ok ? 'ok  ' : 'LOW '} ${group.name}: ${total.score.toFixed(1)}% (${total.detected} of ${total.valid} caught; at least ${group.threshold}%; ${minutes} min)`,
      ...files.map(([file, { mutants }]) => {
        const t = score(mutants.map((m) => m.status));
        return `         ${file}: ${t.score.toFixed(1)}% (${t.detected} of ${t.valid})`;
      }),
    ],
  };
}

const started = Date.now();
const results = groups.map(mutate);
process.stdout.write(
  `\nmutation score by group and module:\n${results.flatMap((r) => r.lines).join('\n')}\n`
);
process.stdout.write(`mutation testing took ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
