/**
 * The README's performance table is the one the committed results file makes: every figure it quotes comes
 * from a real run of `npm run bench -- mcp`, kept in docs/bench/.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { it } from 'node:test';
import { readmeSection, readmeTable } from '../bench/readme-table.js';
import type { BenchResults } from '../bench/report.js';
import { at } from '../support/paths.js';

it('quotes the committed bench results, figure for figure', () => {
  const section = readmeSection(readFileSync(at('README.md'), 'utf8'));
  assert.ok(section, 'README.md has a performance table made from a results file');
  assert.match(section.file, /^docs\/bench\/.+\.json$/);
  assert.ok(existsSync(at(section.file)), `${section.file} is committed`);
  const results = JSON.parse(readFileSync(at(section.file), 'utf8')) as BenchResults;
  assert.match(results.command, /^npm run bench( -- .*\bmcp\b.*)?$/);
  assert.equal(section.table, readmeTable(results));
});
