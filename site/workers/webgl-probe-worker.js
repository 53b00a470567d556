// @ts-check
/**
 * A worker that only probes WebGL and answers once (engine/runtime.js starts it beside the
 * backend: where WebGL is emulated in software, creating the context takes half a second).
 */
import { probeWebGL } from '../engine/webgl-probe.js';

self.postMessage(probeWebGL());
