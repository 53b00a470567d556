// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { chooseTrainingBackend, trainingCandidates } from '../../site/core/training-backend.js';

const HARDWARE = { available: true, renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)' };
const SWIFTSHADER = { available: true, renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)' };
const NONE = { available: false, renderer: '' };
// What engine/webgpu-probe.js reports: the adapter's vendor, architecture, device and description.
const GPU_ADAPTER = { available: true, adapter: 'nvidia ampere' };
const SWIFTSHADER_ADAPTER = { available: true, adapter: 'google swiftshader (software fallback adapter)' };

test('only a hardware GPU is worth timing, each API by its own adapter', () => {
  assert.deepEqual(trainingCandidates(SWIFTSHADER), ['wasm']);
  assert.deepEqual(trainingCandidates(HARDWARE), ['wasm', 'webgl']);
  assert.deepEqual(trainingCandidates(HARDWARE, GPU_ADAPTER), ['wasm', 'webgl', 'webgpu']);
  // WebGPU is judged by its own adapter: on this machine, Chromium's SwiftShader adapter (a fallback one).
  assert.deepEqual(trainingCandidates(SWIFTSHADER, SWIFTSHADER_ADAPTER), ['wasm']);
  assert.deepEqual(trainingCandidates(NONE, GPU_ADAPTER), ['wasm', 'webgpu']);
});

test('on software WebGL (this machine) training stays on WASM, and says why without timing it', () => {
  const choice = chooseTrainingBackend(SWIFTSHADER, { wasm: 31.2 });
  assert.equal(choice.name, 'wasm');
  assert.match(choice.reason, /software-rendered here \(SwiftShader\), so it was not timed/);
  assert.equal(chooseTrainingBackend(NONE, { wasm: 31.2 }).name, 'wasm');
});

test('a hardware GPU wins when clearly faster, and the reason quotes the timings', () => {
  // Recorded shapes: a laptop GPU trains the quickstart MLP's steps several times faster than WASM.
  const choice = chooseTrainingBackend(HARDWARE, { wasm: 28.4, webgl: 6.1 });
  assert.equal(choice.name, 'webgl');
  assert.match(choice.reason, /wasm 28\.4 ms, webgl 6\.1 ms a step/);
  assert.equal(chooseTrainingBackend(HARDWARE, { wasm: 28.4, webgl: 6.1, webgpu: 4.0 }).name, 'webgpu');
});

test('ties and near-ties stay on WASM; a GPU that failed to start is skipped', () => {
  assert.equal(chooseTrainingBackend(HARDWARE, { wasm: 10, webgl: 9 }).name, 'wasm');
  assert.equal(chooseTrainingBackend(HARDWARE, { wasm: 10, webgl: 12 }).name, 'wasm');
  const failed = chooseTrainingBackend(HARDWARE, { wasm: 10, webgl: null });
  assert.equal(failed.name, 'wasm');
  assert.match(failed.reason, /webgl did not start/);
});

test('without WASM the fastest GPU that started trains, else plain JS', () => {
  assert.equal(chooseTrainingBackend(HARDWARE, { wasm: null, webgl: 8 }).name, 'webgl');
  assert.equal(chooseTrainingBackend(HARDWARE, { wasm: null, webgl: null }).name, 'cpu');
});

test('a hardware WebGPU adapter is timed and can win where WebGL is software or missing', () => {
  assert.equal(chooseTrainingBackend(SWIFTSHADER, { wasm: 30, webgpu: 10 }).name, 'webgpu');
  const choice = chooseTrainingBackend(NONE, { wasm: 30, webgpu: 10 });
  assert.equal(choice.name, 'webgpu');
  assert.match(choice.reason, /wasm 30\.0 ms, webgpu 10\.0 ms/);
});

test('where both GPU APIs are software, the reason says so of each', () => {
  const choice = chooseTrainingBackend(SWIFTSHADER, { wasm: null }, SWIFTSHADER_ADAPTER);
  assert.equal(choice.name, 'wasm');
  assert.match(choice.reason, /SwiftShader\), so it was not timed; so is WebGPU's adapter \(google swiftshader/);
});
