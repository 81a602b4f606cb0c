// Writes schema/scenario.schema.json, the JSON Schema editors read through a scenario's "$schema".
// A test fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { editorSchemaText } from '../src/scenario/editor-schema.js';

writeFileSync('schema/scenario.schema.json', editorSchemaText());
console.log('wrote schema/scenario.schema.json');
