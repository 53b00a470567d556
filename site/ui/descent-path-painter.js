// @ts-check
/**
 * The marks of a descent run on the loss surface (loss-surface-painter.js): the path so far, the
 * weights now as a dot, the gradient as an arrow (from w to w + gradient, at the map's own scale),
 * the next step (minus the learning rate times the gradient) as a dashed line, and, when the
 * weights have left the map, a marker on its border pointing where they went.
 */
import { EXTENT, descend } from '../core/descent.js';

/**
 * @typedef {import('../core/descent.js').Weights} Weights
 * @typedef {import('./loss-surface-painter.js').SurfaceView} SurfaceView
 * @typedef {{w: Weights, grad: Weights}} PathPoint a visited point: the weights and the gradient there
 */

/**
 * A line drawn twice, dark under light, so it reads on every colour of the heat map.
 * @param {CanvasRenderingContext2D} ctx
 * @param {() => void} trace builds the path
 * @param {string} color
 * @param {number} width
 * @param {number[]} [dash]
 */
function haloStroke(ctx, trace, color, width, dash = []) {
  ctx.setLineDash(dash);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  /** @type {Array<[string, number]>} */
  const passes = [['rgba(0, 0, 0, 0.85)', width + 2.5], [color, width]];
  for (const [style, w] of passes) {
    ctx.beginPath();
    trace();
    ctx.strokeStyle = style;
    ctx.lineWidth = w;
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/**
 * Draw the run on the painted map: every point visited, the current one last.
 * @param {SurfaceView} view the map, as LossSurfacePainter.draw returned it
 * @param {PathPoint[]} path at least one point
 * @param {number} learningRate for the next step
 * @param {string} accent the palette's accent colour (the off-the-map marker)
 */
export function drawDescentPath({ ctx, map, px, py }, path, learningRate, accent) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(map.x, map.y, map.size, map.size);
  ctx.clip();
  // Path so far.
  if (path.length > 1) {
    haloStroke(ctx, () => {
      path.forEach((p, i) => (i ? ctx.lineTo(px(p.w[0]), py(p.w[1])) : ctx.moveTo(px(p.w[0]), py(p.w[1]))));
    }, '#ffffff', 1.5);
    for (const p of path.slice(0, -1)) {
      ctx.beginPath();
      ctx.arc(px(p.w[0]), py(p.w[1]), 2.5, 0, 2 * Math.PI);
      ctx.fillStyle = '#ffffff';
      ctx.fill();
    }
  }
  const here = path[path.length - 1];
  const [x, y] = [px(here.w[0]), py(here.w[1])];
  // The next step: minus the learning rate times the gradient.
  const next = descend(here.w, here.grad, learningRate);
  haloStroke(ctx, () => { ctx.moveTo(x, y); ctx.lineTo(px(next[0]), py(next[1])); }, '#ffffff', 1.5, [4, 4]);
  ctx.beginPath();
  ctx.arc(px(next[0]), py(next[1]), 5, 0, 2 * Math.PI);
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.5;
  ctx.stroke();
  // The gradient itself, at the map's own scale: from w to w + gradient.
  const [gx, gy] = [px(here.w[0] + here.grad[0]), py(here.w[1] + here.grad[1])];
  const angle = Math.atan2(gy - y, gx - x);
  const head = Math.min(9, Math.hypot(gx - x, gy - y));
  haloStroke(ctx, () => {
    ctx.moveTo(x, y);
    ctx.lineTo(gx, gy);
    ctx.moveTo(gx - head * Math.cos(angle - 0.45), gy - head * Math.sin(angle - 0.45));
    ctx.lineTo(gx, gy);
    ctx.lineTo(gx - head * Math.cos(angle + 0.45), gy - head * Math.sin(angle + 0.45));
  }, '#4dd0e1', 2.5);
  // The current weights.
  ctx.beginPath();
  ctx.arc(x, y, 6, 0, 2 * Math.PI);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#000000';
  ctx.stroke();
  ctx.restore();
  // Off the map: a marker on the border, pointing where the weights went.
  if (Math.max(Math.abs(here.w[0]), Math.abs(here.w[1])) > EXTENT) {
    const scale = EXTENT / Math.max(Math.abs(here.w[0]), Math.abs(here.w[1]));
    const [bx, by] = [px(here.w[0] * scale), py(here.w[1] * scale)];
    const a = Math.atan2(by - py(0), bx - px(0));
    ctx.beginPath();
    ctx.moveTo(bx + 2 * Math.cos(a), by + 2 * Math.sin(a));
    ctx.lineTo(bx - 12 * Math.cos(a - 0.5), by - 12 * Math.sin(a - 0.5));
    ctx.lineTo(bx - 12 * Math.cos(a + 0.5), by - 12 * Math.sin(a + 0.5));
    ctx.closePath();
    ctx.fillStyle = accent;
    ctx.fill();
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}
