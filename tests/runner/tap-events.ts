/**
 * The test points of a node:test TAP report as runner events (tests/runner/outcomes.ts classifies them). Node
 * 20 cannot load a TypeScript reporter, so `npm test` writes TAP to a file and reads it back here.
 *
 * A test point is `ok N - name` or `not ok N - name`, indented four spaces per level, with an optional
 * `# SKIP reason` or `# TODO reason`, and a YAML block two spaces deeper that says `type: 'suite'` for suites
 * and `failureType` for failures.
 */
import type { TestEvent } from './outcomes.js';

const POINT = /^( *)(ok|not ok) \d+ - (.*?)(?: # (SKIP|TODO)(?: (.*))?)?$/;

/** A quoted YAML scalar of node's TAP output, unquoted. */
const unquote = (value: string) => value.replace(/^'(.*)'$/, '$1').replace(/''/g, "'");

/** `root`: file locations are given relative to it. */
export function eventsFromTap(tap: string, root = ''): TestEvent[] {
  const lines = tap.split('\n');
  const events: TestEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const point = POINT.exec(lines[i]!);
    if (!point) continue;
    const [, indent, status, name, directive, reason] = point;
    const fields = new Map<string, string>();
    const yamlIndent = `${indent}  `;
    if (lines[i + 1] === `${yamlIndent}---`) {
      for (i += 2; i < lines.length && lines[i] !== `${yamlIndent}...`; i++) {
        const field = /^(\w+): (.*)$/.exec(
          lines[i]!.startsWith(yamlIndent) ? lines[i]!.slice(yamlIndent.length) : ''
        );
        if (field) fields.set(field[1]!, unquote(field[2]!));
      }
    }
    const why = reason === undefined ? true : reason.replace(/\\#/g, '#');
    events.push({
      type: status === 'ok' ? 'test:pass' : 'test:fail',
      data: {
        name: name!.replace(/\\#/g, '#'),
        file: fields
          .get('location')
          ?.replace(/:\d+:\d+$/, '')
          .replace(root, ''),
        skip: directive === 'SKIP' ? why : undefined,
        todo: directive === 'TODO' ? why : undefined,
        details: {
          type: fields.get('type') === 'suite' ? 'suite' : 'test',
          error: status === 'ok' ? undefined : { failureType: fields.get('failureType') },
        },
      },
    });
  }
  return events;
}
