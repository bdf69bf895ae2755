/**
 * The add-on's options, as the panel edits them:
 *
 *   GET /settings   → { options, apis: [{ id, name }], mode }
 *   PUT /settings   ← the whole options object, checked with the same schema the server starts with
 *                   → the same shape as GET, with what is now in force
 *
 * A bad value is a 400 that names the field, so the panel can show it where it was typed. The options keep
 * config.yaml's names, the one exception to the API's camelCase (contract.ts).
 */
import { Hono } from 'hono';
import * as z from 'zod';
import type { ApiRegistry } from '../llm/registry.js';
import { OptionsSchema, type Options } from '../options.js';
import type { Mode } from './access.js';
import { readJson } from './body.js';
import type { SettingsAnswer } from './contract.js';
import type { AdminEnv } from './env.js';
import type { OptionsStore } from './options-store.js';

export interface SettingsDeps {
  mode: Mode;
  options: OptionsStore;
  registry: Pick<ApiRegistry, 'available'>;
}

/** The options schema, refusing keys it does not know (a typo would otherwise be dropped in silence). */
function settingsSchema(known: () => string[]) {
  return OptionsSchema.strict().superRefine((options, ctx) => {
    const ids = known();
    options.llm_apis.forEach((id, index) => {
      if (!ids.includes(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['llm_apis', index],
          message: `unknown LLM API '${id}'; available: ${ids.join(', ')}`,
        });
      }
    });
  });
}

export function settingsRoutes(deps: SettingsDeps): Hono<AdminEnv> {
  const schema: z.ZodType<Options> = settingsSchema(() => deps.registry.available().map((api) => api.id));
  const answer = (options: Options): SettingsAnswer => ({
    options,
    apis: deps.registry.available(),
    mode: deps.mode,
  });

  const app = new Hono<AdminEnv>();
  app.get('/settings', (c) => c.json(answer(deps.options.current())));
  app.put('/settings', async (c) => {
    const options = await readJson(c, schema);
    return c.json(answer(await deps.options.save(options)));
  });
  return app;
}
