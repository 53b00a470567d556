// @ts-check
// The backend decision table (pure: no WebGL is probed here).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { backendPlan, isSoftwareRenderer } from '../../site/core/backend-plan.js';

const HARDWARE = { available: true, renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)' };
const SWIFTSHADER = { available: true, renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)' };
const NONE = { available: false, renderer: '' };
const names = (/** @type {{name: string}[]} */ plan) => plan.map((c) => c.name);

test('software renderers are recognised, hardware ones are not', () => {
  for (const r of [SWIFTSHADER.renderer, 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver']) assert.ok(isSoftwareRenderer(r), r);
  for (const r of [HARDWARE.renderer, 'Apple M2', 'Mali-G78']) assert.ok(!isSoftwareRenderer(r), r);
});

test('a hardware GPU gets WebGL first, then WASM, then plain JS', () => {
  const plan = backendPlan({ forced: null, webgl: HARDWARE });
  assert.deepEqual(names(plan), ['webgl', 'wasm', 'cpu']);
  assert.match(plan[0].reason, /hardware GPU \(ANGLE \(NVIDIA/);
  assert.match(plan[1].reason, /WebGL could not start; using WASM/);
});

test('software WebGL is skipped for WASM, and the reason names the renderer', () => {
  const plan = backendPlan({ forced: null, webgl: SWIFTSHADER });
  assert.deepEqual(names(plan), ['wasm', 'cpu']);
  assert.equal(plan[0].reason, 'WebGL is software-rendered here (SwiftShader), WASM is much faster; using WASM');
});

test('no WebGL at all', () => {
  const plan = backendPlan({ forced: null, webgl: NONE });
  assert.deepEqual(names(plan), ['wasm', 'cpu']);
  assert.match(plan[1].reason, /^WebGL is unavailable in this browser and WASM could not start; using plain JS$/);
});

test('?backend= is tried first; its fallbacks say it could not start', () => {
  const plan = backendPlan({ forced: 'cpu', webgl: HARDWARE });
  assert.deepEqual(names(plan), ['cpu', 'webgl', 'wasm', 'cpu']);
  assert.equal(plan[0].reason, 'forced with ?backend=cpu');
  assert.match(plan[1].reason, /^cpu could not start; WebGL on a hardware GPU/);
});

test('an unknown forced backend is ignored', () => {
  assert.deepEqual(names(backendPlan({ forced: 'webgpu', webgl: NONE })), ['wasm', 'cpu']);
});
