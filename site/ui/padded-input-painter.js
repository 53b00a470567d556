// @ts-check
/**
 * The convolution figure's input: the model's image in grey levels, inside its ring of zero
 * padding (grey, with a dashed edge, so it reads as added rather than as ink-free image), and the
 * kernel's 3x3 window outlined where it is now.
 */
import { KERNEL_SIZE, positionOf } from '../core/convolution.js';
import { fillCell, fitCellGrid, outlineSquare } from './cell-grid-canvas.js';

/**
 * Paint `image` with its padding on `canvas`, the window at `position`.
 * @param {HTMLCanvasElement} canvas
 * @param {Float32Array} image size * size values from 0 (black) to 1 (white), row-major
 * @param {number} size the image's side
 * @param {number} position the window's output position, row-major (its top left cell is in the padding at 0)
 * @param {string} accent the palette's accent colour (the window)
 */
export function drawPaddedInput(canvas, image, size, position, accent) {
  const { row, col } = positionOf(position, size);
  const { ctx, cell, side } = fitCellGrid(canvas, size + 2);
  // The padding ring: zeros, drawn grey with a dashed edge so it reads as "added", not as ink-free image.
  ctx.fillStyle = '#4a4a4a';
  ctx.fillRect(0, 0, side, side);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = Math.round(Math.min(1, Math.max(0, image[y * size + x])) * 255);
      fillCell(ctx, x + 1, y + 1, cell, `rgb(${v}, ${v}, ${v})`);
    }
  }
  ctx.setLineDash([3, 3]);
  ctx.strokeStyle = '#c8c8c8';
  ctx.lineWidth = Math.max(1, cell / 8);
  ctx.strokeRect(cell, cell, size * cell, size * cell);
  ctx.setLineDash([]);
  outlineSquare(ctx, col * cell, row * cell, KERNEL_SIZE * cell, accent);
}
