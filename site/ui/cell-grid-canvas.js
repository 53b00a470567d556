// @ts-check
/**
 * Square canvases of square cells, one per value (the convolution figure's input, feature map and
 * pooled map), drawn in device pixels: the backing store sized by canvas-size.js, cells filled
 * edge to edge, and the sliding window outlined.
 */
import { fitBackingStore } from './canvas-size.js';

/**
 * Size `canvas` square, its CSS width times the device pixel ratio and at least one device pixel
 * per cell, and split it into `cells` x `cells` cells.
 * @param {HTMLCanvasElement} canvas
 * @param {number} cells per side
 * @returns {{ctx: CanvasRenderingContext2D, cell: number, side: number}} the context (in device
 *   pixels), a cell's side and the canvas' side, in device pixels
 */
export function fitCellGrid(canvas, cells) {
  fitBackingStore(canvas, { square: true, min: cells });
  const side = canvas.width;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  return { ctx, cell: side / cells, side };
}

/**
 * Fill the cell in column `col`, row `row`, rounded outwards to whole pixels so no seam shows.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} col
 * @param {number} row
 * @param {number} cell a cell's side
 * @param {string} color
 */
export function fillCell(ctx, col, row, cell, color) {
  ctx.fillStyle = color;
  ctx.fillRect(Math.floor(col * cell), Math.floor(row * cell), Math.ceil(cell), Math.ceil(cell));
}

/**
 * A square outline, dark under the accent colour, visible on black and white pixels alike.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} x
 * @param {number} y
 * @param {number} size
 * @param {string} accent the palette's accent colour
 */
export function outlineSquare(ctx, x, y, size, accent) {
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#000000';
  ctx.strokeRect(x + 1, y + 1, size - 2, size - 2);
  ctx.lineWidth = 2;
  ctx.strokeStyle = accent;
  ctx.strokeRect(x + 1, y + 1, size - 2, size - 2);
}
