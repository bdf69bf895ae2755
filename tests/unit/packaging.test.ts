/**
 * The add-on's packaging as the Supervisor and the add-on linter see it: config.yaml and build.yaml against
 * the linter's schemas and extra rules, options against the server's own parser, every option and port
 * translated, and the Dockerfile and run.sh in the shape the base image needs.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { OptionsSchema, parseOptions } from '../../server/src/options.js';
import { NODE_FLAGS } from '../../server/src/node-flags.js';
import { DEFAULT_MCP_PORT } from '../../server/src/server-config.js';
import { at } from '../support/paths.js';

const readYaml = (file: string) => parse(readFileSync(at(file), 'utf8')) as Record<string, any>;
const readJson = (file: string) => JSON.parse(readFileSync(at(file), 'utf8')) as Record<string, any>;

const config = readYaml('config.yaml');
const build = readYaml('build.yaml');
const translations = readYaml('translations/en.yaml');
const configSchema = readJson('tests/fixtures/addon-linter/addon-config.schema.json');
const buildSchema = readJson('tests/fixtures/addon-linter/build.schema.json');

// ajv-formats is CommonJS: its default export is the module object under nodenext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The linter's schemas are written for Python: `(?P<name>...)` groups become JavaScript's `(?<name>...)`. */
const pythonRegExp = (pattern: string, flags: string) => new RegExp(pattern.replaceAll('(?P<', '(?<'), flags);

function validate(schema: object, data: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: pythonRegExp as never } });
  addFormats(ajv);
  const check = ajv.compile(schema);
  return check(data) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const mcpPortKey = `${DEFAULT_MCP_PORT}/tcp`;

describe('config.yaml', () => {
  it('passes the add-on linter schema', () => {
    assert.deepEqual(validate(configSchema, config), []);
  });

  it('sets no key to its default (a linter error)', () => {
    const atDefault = Object.entries(config).filter(([key, value]) => {
      const spec = configSchema.properties[key];
      return spec && 'default' in spec && JSON.stringify(spec.default) === JSON.stringify(value);
    });
    assert.deepEqual(atDefault, []);
  });

  it('breaks none of the linter’s other rules', () => {
    assert.ok(!('webui' in config && config.ingress), 'webui together with ingress');
    assert.ok(!(config.ingress_port === 0 && !config.host_network), 'ingress_port 0 without host_network');
    for (const key of ['watchdog', 'codenotary', 'auto_uart']) assert.ok(!(key in config), `${key} is set`);
    assert.ok(!(config.backup === 'cold' && (config.backup_pre || config.backup_post)), 'pre/post with cold');
  });

  it('is the add-on the project promises', () => {
    assert.deepEqual(config.arch, ['aarch64', 'amd64']);
    assert.equal(config.init, false);
    assert.equal(config.ingress, true);
    assert.ok(config.panel_icon && config.panel_title);
    assert.equal(config.homeassistant_api, true);
    assert.equal(typeof config.version, 'string');
    assert.deepEqual(config.ports, { [mcpPortKey]: DEFAULT_MCP_PORT });
    assert.deepEqual(Object.keys(config.ports_description), Object.keys(config.ports));
  });

  it('has the version package.json has', () => {
    assert.equal(config.version, readJson('package.json').version);
  });

  it('declares exactly the options the server parses, with the same defaults', () => {
    assert.deepEqual(Object.keys(config.schema).sort(), Object.keys(OptionsSchema.shape).sort());
    const serverDefaults = parseOptions({}, 'defaults');
    for (const [key, value] of Object.entries(config.options)) {
      assert.deepEqual(value, serverDefaults[key as keyof typeof serverDefaults], `default of ${key}`);
    }
    // Options without a default in config.yaml must be optional there, or the Supervisor requires them.
    for (const key of Object.keys(config.schema).filter((k) => !(k in config.options))) {
      assert.match(String(config.schema[key]), /\?$/, `${key} has no default, so its schema must end in ?`);
    }
    assert.deepEqual(parseOptions(config.options, 'config.yaml'), serverDefaults);
  });

  it('translates every option and port, in every language the panel speaks', () => {
    for (const language of ['en', 'de', 'fr', 'nl', 'es']) {
      const translated = language === 'en' ? translations : readYaml(`translations/${language}.yaml`);
      assert.deepEqual(
        Object.keys(translated.configuration).sort(),
        Object.keys(config.schema).sort(),
        `translations/${language}.yaml`
      );
      for (const [key, entry] of Object.entries<Record<string, string>>(translated.configuration)) {
        assert.ok(entry.name && entry.description, `${language}: ${key} needs a name and a description`);
      }
      assert.deepEqual(Object.keys(translated.network), Object.keys(config.ports), language);
    }
  });
});

describe('the browser tests', () => {
  it('drive Chromium through the playwright package, not playwright-core on its own', () => {
    const pkg = readJson('package.json') as { dependencies?: object; devDependencies?: object };
    const declared = { ...pkg.dependencies, ...pkg.devDependencies };
    assert.ok('playwright' in declared, 'playwright is a development dependency');
    assert.ok(!('playwright-core' in declared), 'playwright-core comes with playwright only');
    // git grep exits 1 when nothing matches.
    const found = spawnSync(
      'git',
      ['grep', '-l', "from 'playwright-core'", '--', 'tests', 'scripts', ':!tests/unit/packaging.test.ts'],
      {
        cwd: at('.'),
        encoding: 'utf8',
      }
    );
    assert.equal(found.status, 1, `imports of playwright-core: ${found.stdout}`);
  });
});

describe('the repository as the add-on store reads it', () => {
  it('holds exactly one add-on: the root config.yaml', () => {
    // The Supervisor (store/data.py) globs every config.* below a repository, apart from dot-folders and
    // rootfs, and takes the .json/.yaml/.yml ones for add-ons (logging any other it cannot read as broken on
    // every store reload). No other file is named config.* at all, so no release of it can be misled.
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: at('.'), encoding: 'utf8' }).split('\0');
    const addons = tracked.filter((file) => {
      const parts = file.split('/');
      const name = parts.at(-1)!;
      return name.startsWith('config.') && !parts.some((part) => part.startsWith('.') || part === 'rootfs');
    });
    assert.deepEqual(addons, ['config.yaml']);
  });
});

describe('build.yaml', () => {
  it('passes the add-on linter schema and builds every arch config.yaml lists', () => {
    assert.deepEqual(validate(buildSchema, build), []);
    assert.deepEqual(Object.keys(build.build_from).sort(), [...config.arch].sort());
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(at('Dockerfile'), 'utf8');

  it('has two stages on the same Home Assistant base image', () => {
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(froms, ['${BUILD_FROM}', '${BUILD_FROM}']);
    assert.match(dockerfile, /^ARG BUILD_FROM=ghcr\.io\/home-assistant\/base:/m);
  });

  it('installs Node from Alpine and builds through the script CI also runs', () => {
    assert.match(dockerfile, /apk add --no-cache nodejs npm build-base python3/);
    assert.match(dockerfile, /RUN bash scripts\/build-addon\.sh \/app/);
    assert.match(dockerfile, /COPY --from=build \/app \/app/);
  });

  it('has a health check on the admin listener, labels, and runs run.sh', () => {
    assert.match(dockerfile, /^HEALTHCHECK .*\n?.*curl -fsS http:\/\/127\.0\.0\.1:8099\/healthz/m);
    assert.match(dockerfile, /io\.hass\.type="app"/);
    assert.match(dockerfile, /^CMD \["\/run\.sh"\]$/m);
  });
});

describe('run.sh', () => {
  const script = readFileSync(at('run.sh'), 'utf8');
  it('runs under bashio with the Supervisor environment and execs node', () => {
    assert.equal(script.split('\n')[0], '#!/usr/bin/with-contenv bashio');
    const commands = script.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    assert.equal(commands.at(-1), `exec node ${[...NODE_FLAGS, '/app/server/dist/main.js'].join(' ')}`);
    assert.ok(statSync(at('run.sh')).mode & 0o111, 'run.sh must be executable');
  });
});
