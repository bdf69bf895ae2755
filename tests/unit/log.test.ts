import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../server/src/log.js';

describe('log', () => {
  it('never writes the value of a secret-looking field', () => {
    const lines: string[] = [];
    const log = createLogger('debug', (line) => lines.push(line));
    log.info('auth failed', { access_token: 'abc123', Authorization: 'Bearer abc123', client: 'claude' });
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines[0]!, /abc123/);
    assert.match(
      lines[0]!,
      /INFO: auth failed access_token=\[redacted\] Authorization=\[redacted\] client=claude$/
    );
  });

  it('drops lines below the level, and follows a level change', () => {
    const lines: string[] = [];
    const log = createLogger('warning', (line) => lines.push(line));
    log.info('hidden');
    log.warning('shown');
    log.setLevel('debug');
    log.debug('now shown');
    assert.deepEqual(
      lines.map((l) => l.replace(/^\S+ \S+ /, '')),
      ['WARNING: shown', 'DEBUG: now shown']
    );
  });
});
