// @ts-check
/**
 * A square drawing pad on pointer events: mouse, touch and pen alike.
 *
 * Strokes are kept as points in pad units (0..1), so the pad can be redrawn
 * crisply at any size or device pixel ratio, and a stroke can be undone.
 * The ink is read back from the canvas alpha channel, so the stroke colour can
 * follow the light/dark palette without changing what the model sees.
 */
import { fitBackingStore } from './canvas-size.js';

/** @typedef {[number, number]} Point x, y in pad units (0..1) */

export class DrawingPad extends EventTarget {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{strokeWidth: number}} options stroke width as a fraction of the pad side
   */
  constructor(canvas, { strokeWidth }) {
    super();
    this.canvas = canvas;
    this.ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d', { willReadFrequently: true }));
    this.strokeWidth = strokeWidth;
    /** @type {Point[][]} */
    this.strokes = [];
    /** @type {{id: number, points: Point[]} | null} */
    this.active = null;
    this.inkColor = '';
    /** @type {Record<string, (e: PointerEvent) => void>} */
    this.listeners = {
      pointerdown: (e) => this.onDown(e),
      pointermove: (e) => this.onMove(e),
      pointerup: (e) => this.onUp(e),
      pointercancel: (e) => this.onUp(e),
    };
    for (const [type, fn] of Object.entries(this.listeners)) canvas.addEventListener(type, /** @type {EventListener} */ (fn));
    // Sized when the observer first reports, after the page's own layout: reading the size here,
    // just after the widget wrote its markup, would force a layout of the whole page.
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
  }

  /** Match the backing store to the CSS size times the device pixel ratio. */
  resize() {
    // A hidden pad (zero wide) keeps its store: it would only be cleared for nothing.
    if (this.canvas.clientWidth > 0 && fitBackingStore(this.canvas, { square: true }).changed) this.redraw();
  }

  get isEmpty() {
    return this.strokes.length === 0;
  }

  /** @param {PointerEvent} e @returns {Point} */
  point(e) {
    const rect = this.canvas.getBoundingClientRect();
    return [(e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height];
  }

  /** @param {PointerEvent} e */
  onDown(e) {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    try {
      this.canvas.setPointerCapture(e.pointerId);
    } catch {
      // A pointer the browser does not track (a synthetic event) cannot be captured; drawing still works.
    }
    this.inkColor = getComputedStyle(this.canvas).color;
    this.active = { id: e.pointerId, points: [this.point(e)] };
    this.strokes.push(this.active.points);
    this.drawStroke(this.active.points);
    this.emit('change');
  }

  /** @param {PointerEvent} e */
  onMove(e) {
    if (!this.active || e.pointerId !== this.active.id) return;
    e.preventDefault();
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) this.active.points.push(this.point(ev));
    // Redrawing the last segments only keeps long strokes cheap.
    this.drawStroke(this.active.points.slice(-events.length - 2));
    this.emit('change');
  }

  /** @param {PointerEvent} e */
  onUp(e) {
    if (!this.active || e.pointerId !== this.active.id) return;
    this.active = null;
    this.emit('strokeend');
  }

  /** @param {string} type */
  emit(type) {
    this.dispatchEvent(new Event(type));
  }

  /** @param {Point[]} points */
  drawStroke(points) {
    const { ctx, canvas } = this;
    const side = canvas.width;
    ctx.lineWidth = this.strokeWidth * side;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = this.inkColor;
    ctx.beginPath();
    ctx.moveTo(points[0][0] * side, points[0][1] * side);
    // A single point still draws a round dot.
    const rest = points.length > 1 ? points.slice(1) : points;
    for (const [x, y] of rest) ctx.lineTo(x * side, y * side);
    ctx.stroke();
  }

  redraw() {
    // Style is read here and at stroke start, not per pointer move (a hot path).
    this.inkColor = getComputedStyle(this.canvas).color;
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    for (const stroke of this.strokes) this.drawStroke(stroke);
  }

  clear() {
    this.strokes = [];
    this.active = null;
    this.redraw();
    this.emit('change');
  }

  undo() {
    this.strokes.pop();
    this.active = null;
    this.redraw();
    this.emit('change');
  }

  /**
   * The ink as one value per canvas pixel.
   * @returns {{ink: Uint8ClampedArray, width: number, height: number}} 0..255, row-major
   */
  readInk() {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const ink = new Uint8ClampedArray(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4 + 3];
    return { ink, width, height };
  }

  destroy() {
    for (const [type, fn] of Object.entries(this.listeners)) this.canvas.removeEventListener(type, /** @type {EventListener} */ (fn));
    this.resizeObserver.disconnect();
  }
}
