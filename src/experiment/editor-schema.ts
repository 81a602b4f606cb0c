/** The JSON Schema editors use for experiment files (`schema/experiment.schema.json`). */
import { jsonSchemaOf } from '../scenario/validate.js';
import { ExperimentSchema } from './schema.js';

export function experimentSchemaText(): string {
  const schema = jsonSchemaOf(ExperimentSchema) as Record<string, unknown>;
  schema.title = 'spillover experiment';
  schema.description = 'An experiment: a scenario, a design of parameter values, replicates, a seed and the variables to aggregate. See README.md.';
  return `${JSON.stringify(schema, null, 2)}\n`;
}
