// @ts-check
// Every committed model's files follow the contract's JSON Schema (the same file Python validates with).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Ajv2020 } from 'ajv/dist/2020.js';

import { COMMITTED, MODELS, metadataOf, readJson } from './support.js';

const schema = readJson(new URL('metadata.schema.json', MODELS));
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema);
/** @param {string} ref @param {any} doc */
function check(ref, doc) {
  const valid = ajv.validate(ref, doc);
  assert.ok(valid, `${ref}: ${ajv.errorsText()}`);
}

for (const name of COMMITTED) {
  test(`${name}: metadata.json and its assets follow the schema`, () => {
    const meta = metadataOf(name);
    check('metadata.schema.json', meta);
    for (const asset of ['parity', 'activations', 'gallery']) {
      if (meta.assets[asset]) check(`metadata.schema.json#/$defs/${asset}`, readJson(new URL(`${name}/${meta.assets[asset]}`, MODELS)));
    }
  });
}

test('the schema rejects what the browser could not use', () => {
  const meta = metadataOf('mnist-cnn');
  const broken = [
    { ...meta, input: { ...meta.input, image_size: 0 } },
    { ...meta, assets: { ...meta.assets, model: '../elsewhere/model.json' } },
    { ...meta, preprocessing: { drawing: { ...meta.preprocessing.drawing, center: 'middle' } } },
    Object.fromEntries(Object.entries(meta).filter(([k]) => k !== 'class_names')),
  ];
  for (const doc of broken) assert.equal(ajv.validate('metadata.schema.json', doc), false);
});
