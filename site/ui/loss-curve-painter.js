// @ts-check
/**
 * The descent figure's loss curve: the loss after every step so far, from 0 to the largest loss,
 * over at least ten steps. Steps whose loss is not finite are left out.
 */
import { cssPixelContext } from './canvas-size.js';

/** @typedef {ReturnType<typeof import('./palette.js').themeColors>} Colors */

/**
 * Paint the curve of `losses` on `canvas`, sized to its box now.
 * @param {HTMLCanvasElement} canvas
 * @param {number[]} losses one per step, the start first
 * @param {Colors} colors the palette's
 */
export function drawLossCurve(canvas, losses, colors) {
  const { ctx, width, height } = cssPixelContext(canvas);
  ctx.clearRect(0, 0, width, height);
  const finite = losses.filter(Number.isFinite);
  const left = 30, bottom = 16, top = 6, right = 6;
  const plotW = width - left - right, plotH = height - top - bottom;
  const max = Math.max(...finite, 1e-9);
  const n = Math.max(10, finite.length - 1);
  ctx.strokeStyle = colors.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(left + 0.5, top + 0.5, plotW, plotH);
  ctx.fillStyle = colors.text;
  ctx.font = `10px ${colors.font}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText(max < 10 ? max.toFixed(1) : max.toExponential(0), left - 3, top + 4);
  ctx.fillText('0', left - 3, top + plotH);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(`${n} steps`, left + plotW / 2, top + plotH + 3);
  if (!finite.length) return;
  ctx.beginPath();
  finite.forEach((loss, i) => {
    const x = left + (i / n) * plotW, y = top + plotH - (loss / max) * plotH;
    if (i) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
  });
  ctx.strokeStyle = colors.primary;
  ctx.lineWidth = 2;
  ctx.stroke();
}
