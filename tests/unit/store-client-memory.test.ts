import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientMemory } from '../../server/src/store/client-memory.js';

describe('client memory', () => {
  it('recalls the client a user named in initialize, per user agent', () => {
    const memory = new ClientMemory();
    memory.remember('u-alice', 'claude-ai/1.2', {
      name: 'Claude',
      version: '1.2',
      protocolVersion: '2025-06-18',
    });
    memory.remember('u-alice', 'Cursor/0.50', { name: 'Cursor', version: '0.50' });
    assert.deepEqual(memory.recall('u-alice', 'claude-ai/1.2'), {
      name: 'Claude',
      version: '1.2',
      protocolVersion: '2025-06-18',
    });
    assert.equal(memory.recall('u-alice', 'Cursor/0.50')?.name, 'Cursor');
    assert.equal(memory.recall('u-bob', 'claude-ai/1.2'), undefined);
    assert.equal(memory.recall('u-alice', undefined), undefined);
  });

  it('treats a missing user agent as one more agent', () => {
    const memory = new ClientMemory();
    memory.remember('u-alice', undefined, { name: 'mcp-proxy' });
    assert.equal(memory.recall('u-alice', null)?.name, 'mcp-proxy');
  });

  it('takes the newest initialize for the same pair', () => {
    const memory = new ClientMemory();
    memory.remember('u-alice', 'ua', { name: 'Claude', version: '1.0' });
    memory.remember('u-alice', 'ua', { name: 'Claude', version: '1.1' });
    assert.equal(memory.recall('u-alice', 'ua')?.version, '1.1');
    assert.equal(memory.size, 1);
  });

  it('stays bounded, forgetting the least recently used pair first', () => {
    const memory = new ClientMemory(2);
    memory.remember('u1', 'ua', { name: 'one' });
    memory.remember('u2', 'ua', { name: 'two' });
    memory.recall('u1', 'ua');
    memory.remember('u3', 'ua', { name: 'three' });
    assert.equal(memory.size, 2);
    assert.equal(memory.recall('u2', 'ua'), undefined);
    assert.equal(memory.recall('u1', 'ua')?.name, 'one');
    assert.equal(memory.recall('u3', 'ua')?.name, 'three');
  });
});
