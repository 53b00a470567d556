// @ts-check
/**
 * The descent figure's map: the loss surface of site/core/descent.js as a heat map (darker is
 * lower, with contour lines), over the weights w1 (across) and w2 (up) from -EXTENT to EXTENT,
 * with labelled axes. It also says where a weight pair is on the canvas and which pair a click
 * points at; descent-path-painter.js draws the path on it.
 */
import { EXTENT, surfaceColors } from '../core/descent.js';
import { cssPixelContext } from './canvas-size.js';

/**
 * @typedef {import('../core/descent.js').Weights} Weights
 * @typedef {ReturnType<typeof import('./palette.js').themeColors>} Colors
 * @typedef {{x: number, y: number, size: number}} MapBox the map's square on the canvas, in CSS pixels
 * @typedef {{ctx: CanvasRenderingContext2D, map: MapBox, px: (w1: number) => number, py: (w2: number) => number}} SurfaceView
 *   the painted map: its context (in CSS pixels), its square, and where a weight w1 or w2 falls on it
 */

/**
 * Where the map goes inside a canvas of `width` x `height` CSS pixels: a square, leaving room for the axes.
 * @param {number} width
 * @param {number} height
 * @returns {MapBox}
 */
export function mapBox(width, height) {
  const left = 44, bottom = 36, top = 8, right = 10;
  const size = Math.max(10, Math.min(width - left - right, height - top - bottom));
  return { x: left, y: top, size };
}

/** The loss surface on its canvas. */
export class LossSurfacePainter {
  /** @param {HTMLCanvasElement} canvas the map's canvas, sized by CSS */
  constructor(canvas) {
    this.canvas = canvas;
    /** @type {HTMLCanvasElement | null} the heat map, one pixel per grid point, scaled when drawn */
    this.heatmap = null;
  }

  /** Whether the surface is known (setLosses was called): until then there is nothing to draw. */
  get ready() {
    return this.heatmap !== null;
  }

  /**
   * The surface to paint: the loss at each of `size` x `size` weight pairs.
   * @param {Float32Array} losses row-major, w2 from EXTENT down, w1 from -EXTENT across
   * @param {number} size grid points per side
   */
  setLosses(losses, size) {
    const { rgba } = surfaceColors(losses, size);
    this.heatmap = document.createElement('canvas');
    this.heatmap.width = this.heatmap.height = size;
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.heatmap.getContext('2d'));
    const image = ctx.createImageData(size, size);
    image.data.set(rgba);
    ctx.putImageData(image, 0, 0);
  }

  /**
   * The weights under a point of the viewport (a click), or null outside the map.
   * @param {number} clientX
   * @param {number} clientY
   * @returns {Weights | null}
   */
  weightsAt(clientX, clientY) {
    const rect = this.canvas.getBoundingClientRect();
    const map = mapBox(rect.width, rect.height);
    const w1 = ((clientX - rect.left - map.x) / map.size) * 2 * EXTENT - EXTENT;
    const w2 = EXTENT - ((clientY - rect.top - map.y) / map.size) * 2 * EXTENT;
    return Math.abs(w1) <= EXTENT && Math.abs(w2) <= EXTENT ? [w1, w2] : null;
  }

  /**
   * Paint the heat map and its axes (ticks every unit, labelled), sized to the canvas' box now.
   * Call only once `ready`.
   * @param {Colors} colors the palette's
   * @returns {SurfaceView} for the marks drawn on the map
   */
  draw(colors) {
    const { ctx, width, height } = cssPixelContext(this.canvas);
    const map = mapBox(width, height);
    ctx.clearRect(0, 0, width, height);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(/** @type {HTMLCanvasElement} */ (this.heatmap), map.x, map.y, map.size, map.size);
    const px = (/** @type {number} */ w1) => map.x + ((w1 + EXTENT) / (2 * EXTENT)) * map.size;
    const py = (/** @type {number} */ w2) => map.y + ((EXTENT - w2) / (2 * EXTENT)) * map.size;
    ctx.fillStyle = colors.text;
    ctx.strokeStyle = colors.light;
    ctx.lineWidth = 1;
    ctx.font = `11px ${colors.font}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let v = -EXTENT; v <= EXTENT; v++) {
      ctx.beginPath();
      ctx.moveTo(px(v), map.y + map.size);
      ctx.lineTo(px(v), map.y + map.size + 4);
      ctx.moveTo(map.x - 4, py(v));
      ctx.lineTo(map.x, py(v));
      ctx.stroke();
      ctx.fillText(String(v), px(v), map.y + map.size + 5);
    }
    ctx.font = `italic 13px ${colors.font}`;
    ctx.fillText('w1', map.x + map.size / 2, map.y + map.size + 19);
    ctx.font = `11px ${colors.font}`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let v = -EXTENT; v <= EXTENT; v++) ctx.fillText(String(v), map.x - 6, py(v));
    ctx.save();
    ctx.translate(map.x - 30, map.y + map.size / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.font = `italic 13px ${colors.font}`;
    ctx.fillText('w2', 0, 0);
    ctx.restore();
    return { ctx, map, px, py };
  }
}
