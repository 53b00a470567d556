// @ts-check
// The backend decision table (pure: no WebGL is probed here).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LEAN_BACKENDS, backendPlan, isSoftwareRenderer } from '../../site/core/backend-plan.js';

const HARDWARE = { available: true, renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)' };
const SWIFTSHADER = { available: true, renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)' };
const NONE = { available: false, renderer: '' };
const names = (/** @type {{name: string}[]} */ plan) => plan.map((c) => c.name);

test('software renderers are recognised, hardware ones are not', () => {
  for (const r of [SWIFTSHADER.renderer, 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver']) assert.ok(isSoftwareRenderer(r), r);
  for (const r of [HARDWARE.renderer, 'Apple M2', 'Mali-G78']) assert.ok(!isSoftwareRenderer(r), r);
});

test('WASM first everywhere, plain JS next, both in the lean bundle; the reason says why not WebGL', () => {
  for (const webgl of [HARDWARE, SWIFTSHADER, NONE]) {
    const plan = backendPlan({ forced: null, webgl });
    assert.deepEqual(names(plan), ['wasm', 'cpu']);
    assert.ok(plan.every((c) => !c.full && LEAN_BACKENDS.includes(c.name)));
  }
  assert.match(backendPlan({ forced: null, webgl: SWIFTSHADER })[0].reason, /WebGL is software-rendered here \(SwiftShader\)/);
  assert.match(backendPlan({ forced: null, webgl: NONE })[0].reason, /WebGL is unavailable in this browser/);
  assert.match(backendPlan({ forced: null, webgl: HARDWARE })[0].reason, /WebGL would need the full library/);
  assert.equal(backendPlan({ forced: null, webgl: NONE })[1].reason, 'WASM could not start; using plain JS');
});

test('?backend= is tried first; WebGL needs the full library; the fallbacks say it could not start', () => {
  const plan = backendPlan({ forced: 'webgl', webgl: HARDWARE });
  assert.deepEqual(names(plan), ['webgl', 'wasm', 'cpu']);
  assert.deepEqual(plan.map((c) => c.full), [true, false, false]);
  assert.equal(plan[0].reason, 'forced with ?backend=webgl');
  assert.match(plan[1].reason, /^webgl could not start; WASM/);
  assert.equal(backendPlan({ forced: 'cpu', webgl: NONE })[0].full, false);
});

test('an unknown forced backend is ignored', () => {
  assert.deepEqual(names(backendPlan({ forced: 'tpu', webgl: NONE })), ['wasm', 'cpu']);
});

test('WebGPU can be forced: it needs the full library', () => {
  const [first] = backendPlan({ forced: 'webgpu', webgl: NONE });
  assert.deepEqual([first.name, first.full], ['webgpu', true]);
});

test('the order of the plan does not depend on the probe (the engine starts before the probe answers)', () => {
  for (const forced of [null, 'webgl', 'wasm', 'cpu', 'webgpu']) {
    const orders = [HARDWARE, SWIFTSHADER, NONE, null].map((webgl) => backendPlan({ forced, webgl }).map((c) => [c.name, c.full]));
    for (const order of orders.slice(1)) assert.deepEqual(order, orders[0], String(forced));
  }
});

test('before the probe answers, the reason leaves WebGL out; once it has, the same reason goes on', () => {
  const before = backendPlan({ forced: null, webgl: null })[0].reason;
  assert.equal(before, 'WASM: the fastest start for models this small');
  assert.ok(backendPlan({ forced: null, webgl: SWIFTSHADER })[0].reason.startsWith(`${before}; WebGL`));
});
