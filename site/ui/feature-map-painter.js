// @ts-check
/**
 * The convolution figure's outputs as they fill in: the feature map (after ReLU) and its 2x2 max
 * pooling, each value in heat-map colours scaled to the map's largest, the positions the window
 * has not reached yet as a faint checker (so "not yet" differs from "zero").
 */
import { heat } from '../core/activations.js';
import { positionOf } from '../core/convolution.js';
import { fillCell, fitCellGrid, outlineSquare } from './cell-grid-canvas.js';

/**
 * A computed value's colour: the heat map at `value` over the map's largest.
 * @param {number} value
 * @param {number} max the map's largest value (0: all black)
 */
function heatColor(value, max) {
  const [r, g, b] = heat(max > 0 ? value / max : 0);
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * A value not computed yet: a faint checker.
 * @param {number} x
 * @param {number} y
 */
const pendingColor = (x, y) => ((x + y) % 2 ? '#3a3a3a' : '#4a4a4a');

/**
 * The largest of `values`, or 0 if none is positive.
 * @param {Float32Array} values
 */
function largest(values) {
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  return max;
}

/**
 * Paint the feature map on `canvas`, computed up to `position`, the window's cell outlined there.
 * @param {HTMLCanvasElement} canvas
 * @param {Float32Array} map size * size values (after ReLU), row-major
 * @param {number} size the map's side
 * @param {number} position the last position computed, row-major
 * @param {string} accent the palette's accent colour (the window)
 */
export function drawFeatureMap(canvas, map, size, position, accent) {
  const { row, col } = positionOf(position, size);
  const { ctx, cell, side } = fitCellGrid(canvas, size);
  const max = largest(map);
  ctx.fillStyle = '#000000';
  ctx.fillRect(0, 0, side, side);
  for (let i = 0; i < map.length; i++) {
    const { row: y, col: x } = positionOf(i, size);
    fillCell(ctx, x, y, cell, i <= position ? heatColor(map[i], max) : pendingColor(x, y));
  }
  outlineSquare(ctx, col * cell, row * cell, cell, accent);
}

/**
 * Paint the feature map's 2x2 max pooling on `canvas`, a pooled cell once the last of its four
 * positions is computed.
 * @param {HTMLCanvasElement} canvas
 * @param {Float32Array} pooled (size / 2) * (size / 2) values, row-major
 * @param {number} size the feature map's side (the pooled map's is half)
 * @param {number} position the feature map's last position computed, row-major
 */
export function drawPooledMap(canvas, pooled, size, position) {
  const half = size / 2;
  const { ctx, cell, side } = fitCellGrid(canvas, half);
  const max = largest(pooled);
  ctx.fillStyle = '#000000';
  ctx.fillRect(0, 0, side, side);
  for (let y = 0; y < half; y++) {
    for (let x = 0; x < half; x++) {
      const done = (2 * y + 1) * size + 2 * x + 1 <= position;
      fillCell(ctx, x, y, cell, done ? heatColor(pooled[y * half + x], max) : pendingColor(x, y));
    }
  }
}
