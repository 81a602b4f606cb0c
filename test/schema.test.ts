import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { editorSchemaText } from '../src/scenario/editor-schema.js';
import { experimentSchemaText } from '../src/experiment/editor-schema.js';

test('schema/scenario.schema.json is up to date (npm run schema writes it)', () => {
  assert.is(readFileSync('schema/scenario.schema.json', 'utf8'), editorSchemaText());
});

test('schema/experiment.schema.json is up to date (npm run schema writes it)', () => {
  assert.is(readFileSync('schema/experiment.schema.json', 'utf8'), experimentSchemaText());
});

test('the editor schema knows every key and allows extends and addShocks', () => {
  const schema = JSON.parse(editorSchemaText());
  for (const key of ['extends', 'addShocks', 'name', 'states', 'sectors', 'spillover', 'policies', 'shocks', 'formulas', 'stepsPerYear'])
    assert.ok(key in schema.properties, key);
  assert.is(schema.additionalProperties, false);
  assert.not.ok(JSON.stringify(schema).includes('"required"'), 'a child file may leave out what its parent supplies');
});

test.run();
