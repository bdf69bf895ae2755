/**
 * Where the companion integration stands (server/src/admin/companion.ts), from the add-on's copy, the copy
 * in HA's config folder, what Core has loaded and its config entry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { companionState, flowFailure, type CompanionFacts } from '../../server/src/admin/companion.js';

const loadedEntry = { entryId: 'e1', state: 'loaded' };
const facts = (over: Partial<CompanionFacts>): CompanionFacts => ({
  bundled: '0.2.0',
  files: '0.2.0',
  loaded: '0.2.0',
  entry: loadedEntry,
  failure: null,
  ...over,
});
const stateOf = (over: Partial<CompanionFacts>) => companionState(facts(over)).state;

describe('companion state', () => {
  it('is not installed without files in the config folder, whatever Core still has loaded', () => {
    assert.equal(stateOf({ files: null, loaded: null, entry: null }), 'not_installed');
    // Removed: the entry is gone and so are the files, but Core runs the old code until it restarts.
    assert.equal(stateOf({ files: null, loaded: '0.2.0', entry: null }), 'not_installed');
  });

  it('needs a restart while Core has not loaded the copied files, or loaded another version', () => {
    assert.equal(stateOf({ loaded: null, entry: null }), 'restart_needed');
    assert.equal(stateOf({ loaded: '0.1.0' }), 'restart_needed');
  });

  it('needs setting up when Core has it loaded and there is no entry', () => {
    assert.equal(stateOf({ entry: null }), 'set_up_needed');
  });

  it("is ready with a loaded entry of the add-on's version", () => {
    assert.deepEqual(companionState(facts({})), { state: 'ready', error: null });
  });

  it("offers an update when the files in the config folder are not the add-on's version", () => {
    assert.equal(stateOf({ files: '0.1.0', loaded: '0.1.0' }), 'update_available');
    assert.equal(stateOf({ files: '0.3.0' }), 'update_available');
  });

  it('goes by what Core has loaded when the config folder is not mapped (installed by hand or HACS)', () => {
    assert.equal(stateOf({ files: undefined }), 'ready');
    assert.equal(stateOf({ files: undefined, loaded: '0.1.0' }), 'update_available');
    assert.equal(stateOf({ files: undefined, loaded: null, entry: null }), 'not_installed');
  });

  it('is an error, in words, when HA is away, the entry does not work or the last setup failed', () => {
    assert.deepEqual(companionState(facts({ loaded: undefined, entry: undefined })), {
      state: 'error',
      error: 'Home Assistant is restarting, or not answering',
    });
    assert.equal(stateOf({ entry: { entryId: 'e1', state: 'setup_error' } }), 'error');
    assert.match(
      companionState(facts({ entry: { entryId: 'e1', state: 'setup_retry' } })).error!,
      /retrying/
    );
    assert.deepEqual(companionState(facts({ entry: null, failure: 'no answer' })), {
      state: 'error',
      error: 'no answer',
    });
  });

  it('is an error when the add-on carries no copy', () => {
    assert.equal(stateOf({ bundled: null }), 'error');
  });
});

describe('a config flow that did not create the entry', () => {
  it("explains the form's error keys", () => {
    assert.equal(
      flowFailure('http://addon:9123', { type: 'form', errors: { url: 'cannot_connect' } }),
      'setting up with http://addon:9123 failed: Home Assistant got no answer from the add-on at that address'
    );
    assert.match(
      flowFailure('http://x', { type: 'form', errors: { url: 'not_the_addon' } }),
      /not the add-on/
    );
  });

  it('explains an abort', () => {
    assert.equal(
      flowFailure('http://x', { type: 'abort', reason: 'single_instance_allowed' }),
      'the integration is already set up'
    );
  });
});
