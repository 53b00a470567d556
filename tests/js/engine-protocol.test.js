// @ts-check
/**
 * The page <-> engine protocol over a real MessageChannel (node's, as in the browser): answers
 * reach their request, errors are answers, progress comes before the result, buffers move
 * instead of being copied, and an answer overtaken on its channel comes back STALE.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineClient, OPS, STALE, serveEngine, transferablesOf } from '../../site/core/engine-protocol.js';

/**
 * The fake engine's operations: real names (the client checks them against OPS), shapes of the tests' own.
 * @typedef {{
 *   predict: {args: {n: number, wait: number}, value: number},
 *   load: {args: {}, value: never},
 *   memory: {args: {}, value: {numTensors: number}},
 *   train: {args: {}, value: string, progress: {batch: number}},
 *   activations: {args: {pixels: Float32Array}, value: Float32Array[]},
 * }} FakeOps
 */

/** @param {Partial<import('../../site/core/engine-protocol.js').Handlers<FakeOps>>} handlers */
function connect(handlers) {
  const channel = new MessageChannel();
  const send = /** @type {typeof serveEngine<FakeOps>} */ (serveEngine)(channel.port2, handlers);
  /** @type {EngineClient<FakeOps>} */
  const client = new EngineClient(channel.port1);
  return { client, send, close: () => { channel.port1.close(); channel.port2.close(); } };
}

const later = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('each answer reaches its own request, in whatever order the work finishes', async () => {
  const { client, close } = connect({
    predict: async ({ n, wait }) => { await later(wait); return n * 2; },
  });
  const answers = await Promise.all([
    client.call('predict', { n: 1, wait: 30 }),
    client.call('predict', { n: 2, wait: 0 }),
    client.call('predict', { n: 3, wait: 10 }),
  ]);
  assert.deepEqual(answers, [2, 4, 6]);
  close();
});

test('an error in the engine rejects that request only, with its message', async () => {
  const { client, close } = connect({
    load: () => { throw new Error('metadata.json: HTTP 404'); },
    memory: () => ({ numTensors: 3 }),
  });
  await assert.rejects(client.call('load', {}), /metadata.json: HTTP 404/);
  assert.deepEqual(await client.call('memory'), { numTensors: 3 });
  close();
});

test('an operation the engine does not have is refused on both sides', async () => {
  const { client, close } = connect({});
  await assert.rejects(client.call(/** @type {any} */ ('rm -rf')), /no operation rm -rf/);
  await assert.rejects(client.call('memory'), /no operation memory/);
  close();
});

test('progress reports arrive before the result, in order', async () => {
  const { client, close } = connect({
    train: async (_, { progress }) => {
      for (let batch = 1; batch <= 3; batch++) {
        progress({ batch });
        await later(1);
      }
      return 'done';
    },
  });
  /** @type {number[]} */
  const seen = [];
  const result = await client.call('train', {}, { onProgress: (p) => seen.push(p.batch) });
  assert.equal(result, 'done');
  assert.deepEqual(seen, [1, 2, 3]);
  close();
});

test('an answer overtaken by a newer request on its channel is STALE; other channels are not touched', async () => {
  const { client, close } = connect({ predict: async ({ n, wait }) => { await later(wait); return n; } });
  const first = client.call('predict', { n: 1, wait: 20 }, { channel: 'digit-1' });
  const other = client.call('predict', { n: 9, wait: 20 }, { channel: 'digit-2' });
  const second = client.call('predict', { n: 2, wait: 0 }, { channel: 'digit-1' });
  assert.equal(await first, STALE);
  assert.equal(await second, 2);
  assert.equal(await other, 9);
  // A widget that switched model invalidates its channel: what was on its way is dropped.
  const before = client.call('predict', { n: 3, wait: 5 }, { channel: 'digit-1' });
  client.invalidate('digit-1');
  assert.equal(await before, STALE);
  close();
});

test('typed arrays and buffers are moved, not copied; views of a larger buffer are left to copy', async () => {
  const pixels = new Float32Array(784).fill(1);
  const maps = [new Float32Array(4), new Float32Array(8)];
  const part = new Float32Array(new ArrayBuffer(64), 16, 4);
  assert.deepEqual(transferablesOf({ key: 'm', pixels }), [pixels.buffer]);
  assert.deepEqual(transferablesOf(maps), maps.map((m) => m.buffer));
  assert.deepEqual(transferablesOf({ artifacts: { weightData: pixels.buffer } }), [pixels.buffer]);
  assert.deepEqual(transferablesOf(part), []);
  assert.deepEqual(transferablesOf('text'), []);

  const { client, close } = connect({ activations: () => [new Float32Array([1, 2, 3])] });
  const sent = new Float32Array(784);
  const [map] = await client.call('activations', { pixels: sent }, { transfer: true });
  assert.deepEqual(Array.from(map), [1, 2, 3]);
  assert.equal(sent.length, 0, 'the request buffer moved to the engine');
  const kept = new Float32Array(784);
  await client.call('activations', { pixels: kept });
  assert.equal(kept.length, 784, 'without transfer, the caller keeps its pixels');
  close();
});

test('events the engine sends unasked reach their listeners until they unsubscribe', async () => {
  const { client, send, close } = connect({});
  /** @type {string[]} */
  const got = [];
  const off = client.on('backend-changed', (b) => got.push(b.name));
  send('backend-changed', { name: 'wasm', reason: 'WebGL lost its context', renderer: '' });
  await later(5);
  off();
  send('backend-changed', { name: 'cpu', reason: 'WebGL lost its context', renderer: '' });
  await later(5);
  assert.deepEqual(got, ['wasm']);
  close();
});

test('every operation the page may ask is listed once', () => {
  assert.equal(new Set(OPS).size, OPS.length);
  for (const op of ['start', 'load', 'predict', 'activations', 'train', 'fine-tune', 'stop', 'memory']) {
    assert.ok(OPS.includes(/** @type {any} */ (op)), op);
  }
});
