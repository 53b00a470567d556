// @ts-check
/**
 * Which TF.js backend to try first, and why: a pure decision, given what the
 * browser offers (the probe itself lives in browser/webgl-probe.js).
 *
 * WebGL runs on the GPU when there is one, but many machines (VMs, remote
 * desktops, headless browsers, blocklisted drivers) only have a software GL
 * renderer such as SwiftShader or llvmpipe. Measured there, WebGL was many times
 * slower than WASM for these small models, so software GL is treated like no GL.
 */

export const BACKENDS = /** @type {const} */ (['webgl', 'wasm', 'cpu']);
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

/**
 * @typedef {{available: boolean, renderer: string}} WebGLProbe what the browser's WebGL offers
 * @typedef {{name: string, reason: string}} BackendChoice
 */

/** @param {string} renderer WebGL's (unmasked) renderer string */
export function isSoftwareRenderer(renderer) {
  return SOFTWARE_GL.test(renderer);
}

/**
 * The backends to try, best first, each with the sentence the widget shows if it is the one that starts.
 * @param {{forced: string | null, webgl: WebGLProbe}} options forced: 'webgl' | 'wasm' | 'cpu' from ?backend=, or null
 * @returns {BackendChoice[]}
 */
export function backendPlan({ forced, webgl }) {
  const software = webgl.available && isSoftwareRenderer(webgl.renderer);
  const plan = [];
  if (webgl.available && !software) plan.push({ name: 'webgl', reason: `WebGL on a hardware GPU (${webgl.renderer})` });
  const whyNotGl = !webgl.available
    ? 'WebGL is unavailable in this browser'
    : software
      ? `WebGL is software-rendered here (${webgl.renderer.match(SOFTWARE_GL)?.[0]}), WASM is much faster`
      : 'WebGL could not start';
  plan.push(
    { name: 'wasm', reason: `${whyNotGl}; using WASM` },
    { name: 'cpu', reason: `${whyNotGl} and WASM could not start; using plain JS` },
  );
  if (!forced || !BACKENDS.includes(/** @type {any} */ (forced))) return plan;
  return [
    { name: forced, reason: `forced with ?backend=${forced}` },
    ...plan.map(({ name, reason }) => ({ name, reason: `${forced} could not start; ${reason}` })),
  ];
}
