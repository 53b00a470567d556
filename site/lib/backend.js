/**
 * Pick the TF.js backend, and say why.
 *
 * WebGL runs on the GPU when there is one, but many machines (VMs, remote
 * desktops, headless browsers, blocklisted drivers) only have a software GL
 * renderer such as SwiftShader or llvmpipe. Measured there, WebGL was 30-50x
 * slower than WASM for these small models, so software GL is treated like no GL.
 */

export const BACKENDS = ['webgl', 'wasm', 'cpu'];
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;
const shortName = (renderer) => renderer.match(SOFTWARE_GL)?.[0] ?? renderer;

/**
 * What WebGL this browser offers, without keeping a context alive.
 * @returns {{available: boolean, renderer: string, software: boolean}}
 */
export function probeWebGL() {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
  if (!gl) return { available: false, renderer: '', software: false };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { available: true, renderer, software: SOFTWARE_GL.test(renderer) };
}

async function trySet(tf, name) {
  try {
    // setBackend resolves false (it does not throw) when a backend cannot start,
    // and getBackend then reports whichever backend did: always read it back.
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Activate a backend: the forced one if it works, else the best for this device.
 * @param {object} tf the TF.js namespace
 * @param {string|null} forced 'webgl' | 'wasm' | 'cpu' from ?backend=, or null
 * @returns {Promise<{name: string, reason: string, renderer: string}>}
 */
export async function chooseBackend(tf, forced) {
  const gl = probeWebGL();
  let prefix = '';
  if (forced && BACKENDS.includes(forced)) {
    if (await trySet(tf, forced)) {
      return { name: forced, reason: `forced with ?backend=${forced}`, renderer: gl.renderer };
    }
    prefix = `${forced} could not start; `;
  }
  const order = [];
  if (gl.available && !gl.software) {
    order.push(['webgl', `WebGL on a hardware GPU (${gl.renderer})`]);
  }
  const whyNotGl = !gl.available
    ? 'WebGL is unavailable in this browser'
    : gl.software
      ? `WebGL is software-rendered here (${shortName(gl.renderer)}), WASM is much faster`
      : 'WebGL could not start';
  order.push(['wasm', `${whyNotGl}; using WASM`], ['cpu', `${whyNotGl} and WASM could not start; using plain JS`]);
  for (const [name, reason] of order) {
    if (await trySet(tf, name)) return { name, reason: prefix + reason, renderer: gl.renderer };
  }
  throw new Error('no TF.js backend could start');
}
