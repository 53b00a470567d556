// @ts-check
/**
 * The descent figure's data panel: the two clouds of points of site/core/descent.js (orange dots,
 * label 1; blue crosses, label 0) in a square x1, x2 from -DATA_EXTENT to DATA_EXTENT, with the
 * model's boundary w · x = 0 and each side of it tinted with the class the model predicts there.
 */
import { cssPixelContext } from './canvas-size.js';

/**
 * @typedef {import('../core/descent.js').Weights} Weights
 * @typedef {import('../core/descent.js').Clouds} Clouds
 * @typedef {ReturnType<typeof import('./palette.js').themeColors>} Colors
 */

/** The panel shows x1, x2 from -DATA_EXTENT to DATA_EXTENT. */
const DATA_EXTENT = 6;
/** Label 0, label 1: blue and orange, readable on both palettes. */
const CLASS_COLORS = ['#1e88e5', '#e65100'];

/**
 * Paint the clouds and the boundary of the model with weights `w` on `canvas`, sized to its box now.
 * @param {HTMLCanvasElement} canvas
 * @param {Clouds} clouds
 * @param {Weights} w the model's weights ([0, 0]: no boundary)
 * @param {Colors} colors the palette's
 */
export function drawDecisionBoundary(canvas, clouds, w, colors) {
  const { ctx, width, height } = cssPixelContext(canvas);
  const size = Math.min(width, height);
  const to = (/** @type {number} */ v) => ((v + DATA_EXTENT) / (2 * DATA_EXTENT)) * size;
  const toY = (/** @type {number} */ v) => ((DATA_EXTENT - v) / (2 * DATA_EXTENT)) * size;
  ctx.clearRect(0, 0, width, height);
  const [w1, w2] = w;
  // Each side of the boundary tinted with the class the model predicts there.
  if (w1 || w2) {
    const far = 4 * DATA_EXTENT;
    const [dx, dy] = [-w2, w1].map((v) => v / Math.hypot(w1, w2));
    for (const side of [1, -1]) {
      const color = CLASS_COLORS[side > 0 ? 1 : 0];
      ctx.beginPath();
      ctx.moveTo(to(-far * dx), toY(-far * dy));
      ctx.lineTo(to(far * dx), toY(far * dy));
      ctx.lineTo(to(far * dx + side * far * dy), toY(far * dy - side * far * dx));
      ctx.lineTo(to(-far * dx + side * far * dy), toY(-far * dy - side * far * dx));
      ctx.closePath();
      ctx.fillStyle = `${color}26`;
      ctx.fill();
    }
    ctx.beginPath();
    ctx.moveTo(to(-far * dx), toY(-far * dy));
    ctx.lineTo(to(far * dx), toY(far * dy));
    ctx.strokeStyle = colors.text;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.strokeStyle = colors.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
  const { points, labels, count } = clouds;
  for (let i = 0; i < count; i++) {
    const [x, y] = [to(points[2 * i]), toY(points[2 * i + 1])];
    ctx.strokeStyle = ctx.fillStyle = CLASS_COLORS[labels[i]];
    ctx.beginPath();
    if (labels[i]) {
      ctx.arc(x, y, 2.6, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.lineWidth = 1.6;
      ctx.moveTo(x - 2.6, y - 2.6);
      ctx.lineTo(x + 2.6, y + 2.6);
      ctx.moveTo(x - 2.6, y + 2.6);
      ctx.lineTo(x + 2.6, y - 2.6);
      ctx.stroke();
    }
  }
}
