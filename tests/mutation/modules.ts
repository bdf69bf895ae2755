/**
 * The modules under mutation testing, grouped as issue 14 names them. Each group names the fast tests that
 * guard it (Stryker runs only those against its mutants) and the lowest mutation score that
 * `npm run test:mutation` accepts: killed or timed-out mutants, of all that compiled and ran. A path ending
 * in `/` is a folder: every TypeScript file in it.
 */
export interface MutationGroup {
  /** Short name for the command line: `npm run test:mutation -- oauth`. */
  id: string;
  name: string;
  paths: string[];
  /** Test files (globs) that guard the group. */
  tests: string[];
  threshold: number;
}

export const GROUPS: MutationGroup[] = [
  {
    id: 'oauth',
    name: 'OAuth',
    paths: ['server/src/oauth/'],
    tests: ['tests/unit/oauth/*.test.ts'],
    threshold: 80,
  },
  {
    id: 'mcp-auth',
    name: 'MCP guards and auth',
    paths: ['server/src/mcp/guards.ts', 'server/src/mcp/auth.ts'],
    tests: ['tests/unit/mcp-guards.test.ts'],
    threshold: 80,
  },
  {
    id: 'registry',
    name: 'read-only and API selection',
    paths: ['server/src/llm/registry.ts'],
    tests: ['tests/unit/llm-registry.test.ts'],
    threshold: 80,
  },
  {
    id: 'ha-access',
    name: 'exposure and principals',
    paths: ['server/src/ha/exposure.ts', 'server/src/ha/principals.ts', 'server/src/ha/failure-limiter.ts'],
    tests: [
      'tests/unit/exposure.test.ts',
      'tests/unit/principals.test.ts',
      'tests/unit/failure-limiter.test.ts',
    ],
    threshold: 80,
  },
  {
    id: 'redaction',
    name: 'request log redaction',
    paths: ['server/src/store/redact.ts'],
    tests: ['tests/unit/store-redact.test.ts', 'tests/unit/log.test.ts'],
    threshold: 80,
  },
];

/** Stryker's `mutate` globs for a group. */
export const mutateGlobs = (group: MutationGroup): string[] =>
  group.paths.map((p) => (p.endsWith('/') ? `${p}**/*.ts` : p));
