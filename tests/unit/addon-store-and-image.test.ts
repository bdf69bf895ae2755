/**
 * What the add-on store shows and how the image is made and published: the store's pictures, the image's
 * health check and pinned base, translations as the Supervisor reads them, and the workflow that publishes
 * the images config.yaml can name.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { at } from '../support/paths.js';

const readYaml = (file: string) => parse(readFileSync(at(file), 'utf8')) as Record<string, any>;
const config = readYaml('config.yaml');
const dockerfile = readFileSync(at('Dockerfile'), 'utf8');

/** A PNG's size, from its IHDR chunk (which the format requires first, right after the signature). */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(at(file));
  assert.deepEqual(
    [...bytes.subarray(0, 8)],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    `${file} is a PNG`
  );
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${file} starts with its IHDR chunk`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the store’s pictures', () => {
  it('icon.png is a square 128×128 PNG, as the add-on documentation asks', () => {
    assert.deepEqual(pngSize('icon.png'), { width: 128, height: 128 });
  });

  it('logo.png is a wide PNG of about 250×100', () => {
    const { width, height } = pngSize('logo.png');
    assert.ok(width > height, `logo.png is ${width}×${height}: wider than high`);
    assert.ok(Math.abs(width - 250) <= 25 && Math.abs(height - 100) <= 10, `logo.png is ${width}×${height}`);
  });
});

describe('the image', () => {
  it('checks health every few seconds while starting, not only every 30 s', () => {
    const healthcheck = /^HEALTHCHECK ((?:--[a-z-]+=\S+\s+)+)/m.exec(dockerfile);
    assert.ok(healthcheck, 'the Dockerfile has a HEALTHCHECK with options');
    const flags = Object.fromEntries(
      [...healthcheck[1]!.matchAll(/--([a-z-]+)=(\d+)s/g)].map((m) => [m[1], +m[2]!])
    );
    assert.ok(flags['start-interval'], 'HEALTHCHECK sets --start-interval');
    assert.ok(flags['start-interval'] <= 5, `--start-interval is ${flags['start-interval']} s`);
    assert.ok(flags['start-interval'] < flags['interval']!, '--start-interval is shorter than --interval');
  });

  it('builds on one dated release of Home Assistant’s base image, in the Dockerfile and build.yaml', () => {
    // docker-base tags its releases <alpine>-<release>, e.g. 3.24-2026.10.0; a bare 3.24 moves.
    const dated = /^(\d+\.\d+-\d{4}\.\d{2}\.\d+)$/;
    const from = /^ARG BUILD_FROM=ghcr\.io\/home-assistant\/base:(\S+)$/m.exec(dockerfile)?.[1];
    assert.match(from ?? '', dated, `the Dockerfile's BUILD_FROM is a dated tag, not ${from}`);
    const build = readYaml('build.yaml');
    for (const arch of config.arch as string[]) {
      assert.equal(
        build.build_from[arch],
        `ghcr.io/home-assistant/${arch}-base:${from}`,
        `build.yaml, ${arch}`
      );
    }
  });
});

describe('translations', () => {
  // What the Supervisor keeps of a translation file (apps/validate.py, SCHEMA_APP_TRANSLATIONS): anything
  // else is dropped without a word, so a key outside these is a mistake nobody sees.
  const FILE_KEYS = ['configuration', 'network'];
  const OPTION_KEYS = ['name', 'description', 'fields'];
  const files = readdirSync(at('translations')).filter((name) => /\.ya?ml$/.test(name));

  it('include English', () => {
    assert.ok(files.includes('en.yaml'), 'translations/en.yaml');
  });

  for (const file of files) {
    const translation = readYaml(`translations/${file}`);

    it(`${file} holds only what the Supervisor reads`, () => {
      assert.deepEqual(
        Object.keys(translation).filter((key) => !FILE_KEYS.includes(key)),
        []
      );
      for (const [option, entry] of Object.entries<Record<string, unknown>>(translation.configuration)) {
        assert.deepEqual(
          Object.keys(entry).filter((key) => !OPTION_KEYS.includes(key)),
          [],
          option
        );
        assert.equal(typeof entry.name, 'string', `${option} has a name (the Supervisor requires one)`);
      }
      for (const [port, text] of Object.entries(translation.network)) {
        assert.equal(typeof text, 'string', `network ${port} is a description, nothing else`);
      }
    });

    it(`${file} names and describes every option and port config.yaml has`, () => {
      assert.deepEqual(Object.keys(translation.configuration).sort(), Object.keys(config.schema).sort());
      for (const [option, entry] of Object.entries<Record<string, unknown>>(translation.configuration)) {
        assert.ok(entry.name && entry.description, `${option} has a name and a description`);
      }
      assert.deepEqual(Object.keys(translation.network).sort(), Object.keys(config.ports).sort());
    });
  }
});

describe('the workflow that publishes images', () => {
  let workflow: Record<string, any> = {};
  const steps = (job: string) =>
    workflow.jobs[job].steps as { id?: string; uses?: string; run?: string; with?: any }[];
  /** The step that reads config.yaml for the rest of the run. */
  const readsConfig = () => steps('prepare').find((s) => s.id === 'addon')?.run ?? '';
  const uses = (job: string, action: string) => {
    const step = steps(job).find((s) => s.uses?.startsWith(`home-assistant/builder/actions/${action}@`));
    assert.ok(step, `${job} uses home-assistant/builder's ${action}`);
    return step;
  };

  it('parses as YAML', () => {
    workflow = readYaml('.github/workflows/builder.yaml');
  });

  it('builds with Home Assistant’s builder actions, all of one release', () => {
    const refs = [
      uses('prepare', 'prepare-multi-arch-matrix'),
      uses('build', 'build-image'),
      uses('manifest', 'publish-multi-arch-manifest'),
    ].map((step) => step.uses!.split('@')[1]);
    assert.equal(new Set(refs).size, 1, `one ref for all three: ${refs.join(', ')}`);
  });

  it('builds every arch config.yaml lists, read from config.yaml itself', () => {
    assert.match(
      readsConfig(),
      /^echo "architectures=\$\(yq -o=json -I=0 '\.arch' config\.yaml\)" >> "\$GITHUB_OUTPUT"$/m
    );
    assert.equal(workflow.jobs.prepare.outputs.architectures, '${{ steps.addon.outputs.architectures }}');
    assert.equal(
      uses('prepare', 'prepare-multi-arch-matrix').with.architectures,
      '${{ steps.addon.outputs.architectures }}'
    );
    assert.equal(workflow.jobs.build.strategy.matrix, '${{ fromJSON(needs.prepare.outputs.matrix) }}');
    assert.equal(
      uses('manifest', 'publish-multi-arch-manifest').with.architectures,
      '${{ needs.prepare.outputs.architectures }}'
    );
    // prepare-multi-arch-matrix knows a runner for these alone and fails the run on any other.
    for (const arch of config.arch as string[]) assert.ok(['aarch64', 'amd64'].includes(arch), arch);
  });

  it('publishes on a push to main or a release, and only builds a pull request', () => {
    assert.deepEqual(workflow.on.push.branches, ['main']);
    assert.deepEqual(workflow.on.release.types, ['published']);
    assert.ok(workflow.on.pull_request, 'pull requests are built');
    assert.equal(uses('build', 'build-image').with.push, "${{ github.event_name != 'pull_request' }}");
    assert.equal(workflow.jobs.manifest.if, "github.event_name != 'pull_request'");
  });

  it('publishes the image the README tells config.yaml to name, at config.yaml’s version', () => {
    const name = workflow.env.IMAGE_NAME as string;
    const image = `ghcr.io/<owner>/{arch}-${name}`;
    assert.ok(
      readFileSync(at('README.md'), 'utf8').includes(`\nimage: ${image}\n`),
      `README.md shows image: ${image}`
    );
    const tags = uses('build', 'build-image').with['image-tags'] as string;
    assert.deepEqual(tags.trim().split('\n'), ['${{ needs.prepare.outputs.version }}', 'latest']);
    assert.match(readsConfig(), /version=\$\(yq '\.version' config\.yaml\)/);
    for (const [job, action] of [
      ['prepare', 'prepare-multi-arch-matrix'],
      ['manifest', 'publish-multi-arch-manifest'],
    ] as const) {
      assert.equal(uses(job, action).with['image-name'], '${{ env.IMAGE_NAME }}', `${action}'s image name`);
    }
    // Without `image` the Supervisor builds locally; with it, it must be this workflow's image.
    if ('image' in config)
      assert.match(config.image, new RegExp(`^ghcr\\.io/[a-z0-9-]+/(\\{arch\\}-)?${name}$`));
  });
});
