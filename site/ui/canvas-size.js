// @ts-check
/** Sharp canvases on high-density screens: a backing store of CSS pixels times the device pixel ratio. */

/**
 * Size `canvas`'s backing store to its CSS box times the device pixel ratio.
 * @param {HTMLCanvasElement} canvas
 * @param {{square?: boolean, min?: number}} [options] square: height = width; min: device pixels per side
 * @returns {{changed: boolean, ratio: number}} changed: the store was resized (and so cleared)
 */
export function fitBackingStore(canvas, { square = false, min = 0 } = {}) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(min, Math.round(canvas.clientWidth * ratio));
  const height = square ? width : Math.max(min, Math.round(canvas.clientHeight * ratio));
  const changed = canvas.width !== width || canvas.height !== height;
  if (changed) {
    canvas.width = width;
    canvas.height = height;
  }
  return { changed, ratio };
}

/**
 * Size `canvas`'s backing store to its CSS box times the device pixel ratio, and return a
 * context that draws in CSS pixels, with the box's size in CSS pixels (the descent figure's painters).
 * @param {HTMLCanvasElement} canvas
 * @returns {{ctx: CanvasRenderingContext2D, width: number, height: number}}
 */
export function cssPixelContext(canvas) {
  const { ratio } = fitBackingStore(canvas);
  const width = canvas.clientWidth, height = canvas.clientHeight;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width, height };
}
