// @ts-check
/**
 * What WebGL a scope offers: a worker's (an OffscreenCanvas, where TF.js' WebGL backend draws
 * too) or a page's. No DOM needed.
 */

/**
 * What WebGL this engine's scope offers, without keeping a context alive (an OffscreenCanvas in a
 * worker, where TF.js' WebGL backend draws too).
 * @returns {import('../core/backend-plan.js').WebGLProbe}
 */
export function probeWebGL() {
  /** @type {any} */
  let gl;
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : null;
    gl = canvas && (canvas.getContext('webgl2') || canvas.getContext('webgl'));
  } catch {
    gl = null;
  }
  if (!gl) return { available: false, renderer: '' };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { available: true, renderer };
}

