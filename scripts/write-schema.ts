// Writes schema/scenario.schema.json and schema/experiment.schema.json, the JSON Schemas editors read through "$schema".
// A test fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { editorSchemaText } from '../src/scenario/editor-schema.js';
import { experimentSchemaText } from '../src/experiment/editor-schema.js';

writeFileSync('schema/scenario.schema.json', editorSchemaText());
writeFileSync('schema/experiment.schema.json', experimentSchemaText());
console.log('wrote schema/scenario.schema.json and schema/experiment.schema.json');
