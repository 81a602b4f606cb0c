/**
 * The JSON Schema editors use for scenario files. A file in an `extends` chain may leave out anything its
 * parent supplies, so this schema requires nothing; it still knows every key, type, range and description,
 * and it allows `extends` and `addShocks`. Completeness is checked when a scenario is loaded.
 */
import { scenarioJsonSchema } from './validate.js';

function dropRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropRequired);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'required') out[k] = dropRequired(v);
  return out;
}

export function editorSchema(): Record<string, unknown> {
  const schema = dropRequired(scenarioJsonSchema()) as Record<string, any>;
  schema.title = 'spillover scenario';
  schema.description = 'A spillover scenario file. See docs/ODD.md for what each value means and README.md for extends.';
  schema.properties = {
    extends: { type: 'string', description: 'Path of a scenario file this one builds on (relative to this file, or absolute). Objects deep-merge, arrays replace.' },
    addShocks: { ...schema.properties.shocks, description: 'Shocks appended to the inherited list.' },
    ...schema.properties,
  };
  return schema;
}

export function editorSchemaText(): string {
  return `${JSON.stringify(editorSchema(), null, 2)}\n`;
}
