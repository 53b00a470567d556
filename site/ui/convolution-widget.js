// @ts-check
/**
 * "A convolution you can watch": a 3x3 kernel slides over the 28x28 input the
 * shipped CNN receives, position by position. The window is highlighted on the
 * input, its nine products, their sum, the bias and the ReLU are written out,
 * and the feature map fills in, with its 2x2 max pooling beside it.
 *
 * The input is the reader's drawing, preprocessed with the model's own recipe
 * (metadata.json, as the digit widget does), or an MNIST test image while the
 * pad is empty. The kernels are the first layer's filters of the shipped CNN,
 * read from the loaded TF.js model, plus classic hand-made ones. The arithmetic
 * is done by hand (site/core/convolution.js: convolveAt); the feature map comes
 * from TF.js' tf.conv2d, so every step shows the two agreeing.
 *
 * This module is the state machine, the template and the wiring; the painters draw: the input
 * with its padding and the window (padded-input-painter.js), the feature map and its pooling
 * (feature-map-painter.js).
 *
 * Testing contract: root [data-widget="convolution"] with data-state (loading |
 * ready | error) and data-position (0..783) and data-source (sample | drawing);
 * canvas[data-role="pad"], [data-role="clear"], [data-role="undo"];
 * select[data-role="kernel"] (values: "learned-<i>" and "classic-<i>");
 * buttons [data-role="step"], [data-role="play"], [data-role="end"],
 * [data-role="restart"]; [data-role="arithmetic"] with data-row, data-col,
 * data-sum and data-map-value (tf.conv2d's output there); [data-role="result"]
 * (the output written out); canvas[data-role="input"], [data-role="output"]
 * (focusable: arrow keys move the window), [data-role="pooled"];
 * [data-role="live"], the live region.
 */
import { assetUrl, fetchJson } from '../core/metadata.js';
import { getEngine } from '../browser/engine-client.js';
import { STALE } from '../core/engine-protocol.js';
import {
  CLASSIC_KERNELS, KERNEL_SIZE, convolveAt, describePosition, positionOf,
} from '../core/convolution.js';
import { preprocessDrawing } from '../core/preprocess.js';
import { DrawingPad } from './drawing-pad.js';
import { roles } from './dom.js';
import { onPaletteChange, themeColors } from './palette.js';
import { drawPaddedInput } from './padded-input-painter.js';
import { drawFeatureMap, drawPooledMap } from './feature-map-painter.js';

/** Positions per second while playing: slow enough to read, or a row at a time. */
const SPEEDS = { slow: 4, fast: 120 };

/**
 * A row's header, for screen readers only: each cell of the 3 by 3 grids is then read with its row.
 * @param {number} r
 */
const rowHeader = (r) => `<th scope="row" class="dl-visually-hidden">row ${r + 1}</th>`;

const TEMPLATE = `
  <div class="dl-conv-controls">
    <label>Kernel <select data-role="kernel"></select></label>
    <label>Speed <select data-role="speed">
      <option value="slow">slow</option><option value="fast">fast</option>
    </select></label>
    <button type="button" class="md-button md-button--primary" data-role="step" disabled>Step</button>
    <button type="button" class="md-button" data-role="play" aria-pressed="false" disabled>Play</button>
    <button type="button" class="md-button" data-role="end" disabled>Jump to end</button>
    <button type="button" class="md-button" data-role="restart" disabled>Restart</button>
  </div>
  <div class="dl-conv-grids">
    <figure class="dl-conv-pad">
      <canvas data-role="pad" class="dl-pad" aria-label="Drawing pad: draw a digit; the convolution runs over it"></canvas>
      <div class="dl-conv-pad-buttons">
        <button type="button" class="md-button" data-role="undo" aria-label="Undo the last stroke">Undo</button>
        <button type="button" class="md-button" data-role="clear" aria-label="Clear the pad">Clear</button>
      </div>
    </figure>
    <figure>
      <canvas data-role="input" role="img" class="dl-conv-image"
        aria-label="The model's input with one pixel of zero padding around it; the 3 by 3 window is outlined"></canvas>
      <figcaption data-role="input-caption">Input, with its padding</figcaption>
    </figure>
    <figure>
      <table class="dl-conv-kernel" data-role="kernel-grid" aria-label="The kernel's nine weights"></table>
      <figcaption data-role="kernel-caption">Kernel</figcaption>
    </figure>
    <figure>
      <canvas data-role="output" tabindex="0" role="img" class="dl-conv-image"
        aria-label="The feature map so far. Arrow keys move the window; Home and End jump to the first and last position."></canvas>
      <figcaption>Feature map, after ReLU</figcaption>
    </figure>
  </div>
  <p class="dl-conv-note" data-role="source"></p>
  <div class="dl-conv-bottom">
    <div class="dl-conv-arithmetic" data-role="arithmetic">
      <table data-role="products" aria-label="The nine products: input value times weight"></table>
      <p data-role="result" class="dl-conv-result"></p>
    </div>
    <figure>
      <canvas data-role="pooled" role="img" class="dl-conv-image dl-conv-pooled"
        aria-label="The feature map after 2 by 2 max pooling, 14 by 14"></canvas>
      <figcaption>2×2 max pooling, 14×14</figcaption>
    </figure>
  </div>
  <p class="dl-conv-note" data-role="kernel-note"></p>
  <p class="dl-visually-hidden" data-role="live" aria-live="polite"></p>`;

/**
 * @typedef {import('../core/convolution.js').Kernel} Kernel
 * @typedef {import('../core/classifier.js').Metadata} Metadata
 * @typedef {{kernel: HTMLSelectElement, speed: HTMLSelectElement, step: HTMLButtonElement,
 *   play: HTMLButtonElement, end: HTMLButtonElement, restart: HTMLButtonElement, pad: HTMLCanvasElement,
 *   undo: HTMLButtonElement, clear: HTMLButtonElement, input: HTMLCanvasElement, 'input-caption': HTMLElement,
 *   'kernel-grid': HTMLTableElement, 'kernel-caption': HTMLElement, output: HTMLCanvasElement,
 *   source: HTMLParagraphElement, arithmetic: HTMLDivElement, products: HTMLTableElement,
 *   result: HTMLParagraphElement, pooled: HTMLCanvasElement, 'kernel-note': HTMLParagraphElement,
 *   live: HTMLParagraphElement}} Roles the figure's parts (TEMPLATE), by data-role
 */

/** @param {number} v */
const f2 = (v) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2));
/** @param {number} v */
const f3 = (v) => (Math.abs(v) < 0.0005 ? '0.000' : v.toFixed(3));

/**
 * A weight's cell colour: orange for positive, blue for negative, as strong as
 * the weight is large next to the kernel's largest. Semi-transparent, so the
 * text (the page's own colour) stays readable on both palettes.
 * @param {number} w
 * @param {number} scale the kernel's largest absolute weight
 */
function weightColor(w, scale) {
  const a = scale ? Math.min(1, Math.abs(w) / scale) * 0.4 : 0; // at most 0.4: the number on it keeps 4.5:1 in both palettes
  return w >= 0 ? `rgba(230, 81, 0, ${a.toFixed(3)})` : `rgba(30, 136, 229, ${a.toFixed(3)})`;
}

let figures = 0;

export class ConvolutionWidget {
  /**
   * @param {HTMLElement} root the [data-widget] element; data-models lists the model (the hook writes it)
   * @param {{vendor: Record<string, string>}} env URLs of the vendored npm files
   */
  constructor(root, env) {
    this.root = root;
    root.dataset.state = 'loading';
    this.id = ++figures;
    this.computing = 0;
    root.innerHTML = TEMPLATE;
    /** @type {Roles} */
    this.el = roles(root);
    /** @type {{name: string, metadata: string}[]} */
    const models = JSON.parse(root.dataset.models || '[]');
    // Resolved now: with instant navigation, the page's address changes later.
    this.metadataUrl = models.length ? new URL(models[0].metadata, location.href) : null;
    /** @type {import('../browser/engine-client.js').Engine | null} where tf.conv2d runs */
    this.engine = null;
    /** @type {Metadata | null} the model's metadata.json */
    this.meta = null;
    /** @type {DrawingPad | null} */
    this.pad = null;
    /** @type {Float32Array | null} an MNIST test image, shown while the pad is empty */
    this.sample = null;
    /** @type {Kernel[]} */
    this.kernels = [];
    /** the input's side, from the model's metadata (0 until it is read) */
    this.size = 0;
    /** @type {Float32Array} the model's input, scaled */
    this.image = new Float32Array(this.size * this.size);
    /** @type {{pre: Float32Array, post: Float32Array} | null} */
    this.map = null;
    /** @type {Float32Array | null} */
    this.pooled = null;
    this.position = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.frame = 0;
    this.el.step.addEventListener('click', () => this.moveTo(this.position + 1, true));
    this.el.play.addEventListener('click', () => (this.timer ? this.pause() : this.play()));
    this.el.end.addEventListener('click', () => { this.pause(); this.moveTo(this.size * this.size - 1, true); });
    this.el.restart.addEventListener('click', () => { this.pause(); this.moveTo(0, true); });
    this.el.kernel.addEventListener('change', () => this.compute().catch((e) => this.fail(e)));
    this.el.clear.addEventListener('click', () => this.pad?.clear());
    this.el.undo.addEventListener('click', () => this.pad?.undo());
    this.el.output.addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => this.onKey(e));
    for (const role of /** @type {const} */ (['input', 'output'])) {
      this.el[role].addEventListener('click', (/** @type {MouseEvent} */ e) => this.pick(e, role === 'input' ? 1 : 0));
    }
    this.resizeObserver = new ResizeObserver(() => this.draw());
    // Redraw when the reader switches palettes: a paused figure would keep the old accent.
    this.stopWatching = onPaletteChange(() => this.draw());
    this.resizeObserver.observe(this.el.input);
    this.start(env.vendor).catch((error) => this.fail(error));
  }

  /** @param {Record<string, string>} vendor */
  async start(vendor) {
    if (!this.metadataUrl) throw new Error('no model is listed for this figure');
    const engine = getEngine(vendor);
    await engine.start();
    const meta = /** @type {Metadata} */ (await fetchJson(this.metadataUrl));
    // The engine's full library: the lean build has only the shipped models' kernels, and this figure
    // needs its own ops (conv2d of one filter, max pooling) and the layers model's first-layer weights.
    // Asked with the model's metadata, conv2d answers its learned kernels.
    const learned = /** @type {import('../core/engine-protocol.js').LearnedKernels} */ (
      await engine.client.call('conv2d', { metadataUrl: this.metadataUrl.href }));
    this.engine = engine;
    if (!this.root.isConnected) return;
    this.meta = meta;
    this.size = meta.input.image_size;
    this.image = new Float32Array(this.size * this.size);
    const side = `${this.size} by ${this.size}`;
    this.el.input.setAttribute('aria-label', `The ${side} input with one pixel of zero padding around it; the 3 by 3 window is outlined`);
    this.el['input-caption'].textContent = `Input, ${this.size}×${this.size}, with its padding`;
    this.el.output.setAttribute('aria-label', `The feature map so far, ${side}. Arrow keys move the window; Home and End jump to the first and last position.`);
    this.kernels = [...(learned?.kernels ?? []), ...CLASSIC_KERNELS];
    this.learnedLayer = learned?.layer ?? null;
    this.fillKernelSelect(learned?.kernels.length ?? 0);
    this.pad = new DrawingPad(this.el.pad, { strokeWidth: meta.preprocessing.drawing.stroke_width });
    this.pad.addEventListener('change', () => this.schedule());
    this.pad.addEventListener('strokeend', () => this.schedule());
    try {
      // A real test digit to start with: the gallery's earliest test image (raw 0..255 pixels). The
      // gallery is precached with the model, so the figure starts offline too.
      const gallery = await fetchJson(assetUrl(meta, this.metadataUrl, 'gallery'));
      const first = gallery.test_indices.indexOf(Math.min(...gallery.test_indices));
      const pixels = Uint8Array.from(atob(gallery.pixels_base64), (c) => c.charCodeAt(0));
      const n = this.size * this.size;
      this.sample = Float32Array.from(pixels.subarray(first * n, (first + 1) * n));
    } catch (error) {
      console.warn('convolution: no sample image', error);
    }
    for (const role of /** @type {const} */ (['step', 'play', 'end', 'restart'])) this.el[role].disabled = false;
    await this.updateInput();
    this.root.dataset.state = 'ready';
  }

  /** @param {Error} error */
  fail(error) {
    console.warn('convolution:', error);
    this.root.dataset.state = 'error';
    this.el.result.textContent = `The figure could not start: ${error.message}`;
  }

  /** @param {number} learnedCount */
  fillKernelSelect(learnedCount) {
    const groups = [];
    if (learnedCount) {
      const options = this.kernels.slice(0, learnedCount).map((k, i) => `<option value="learned-${i}">${k.name}</option>`);
      groups.push(`<optgroup label="Learned by this site's CNN (${this.learnedLayer})">${options.join('')}</optgroup>`);
    }
    const classic = CLASSIC_KERNELS.map((k, i) => `<option value="classic-${i}">${k.name}</option>`);
    groups.push(`<optgroup label="Hand-made">${classic.join('')}</optgroup>`);
    this.el.kernel.innerHTML = groups.join('');
    this.learnedCount = learnedCount;
  }

  /** @returns {Kernel} */
  get kernel() {
    const [kind, index] = this.el.kernel.value.split('-');
    return kind === 'learned' ? this.kernels[Number(index)] : CLASSIC_KERNELS[Number(index)];
  }

  /** Recompute at most once per animation frame while the reader draws. */
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.updateInput()?.catch((e) => this.fail(e));
    });
  }

  /** The model's input: the drawing with the model's recipe, or the sample while the pad is empty. */
  updateInput() {
    if (!this.meta || !this.pad || !this.root.isConnected) return;
    const { preprocessing, input } = this.meta;
    /** @type {ArrayLike<number> | null} */
    let pixels = null;
    let source = 'sample';
    if (!this.pad.isEmpty) {
      const { ink, width, height } = this.pad.readInk();
      pixels = preprocessDrawing(ink, width, height, preprocessing.drawing, input.image_size).pixels;
      source = 'drawing';
    }
    pixels ??= source === 'sample' ? this.sample : null;
    this.image = pixels ? Float32Array.from(pixels, (v) => v / input.divide_by) : new Float32Array(this.size * this.size);
    this.root.dataset.source = source;
    this.el.source.textContent = source === 'sample'
      ? 'Showing a digit from the MNIST test set. Draw on the pad to use your own.'
      : 'Your drawing, cropped, scaled and centred with the model\'s own recipe, as the CNN receives it.';
    return this.compute();
  }

  /** The whole feature map for the current input and kernel, by TF.js, then its pooling. */
  async compute() {
    if (!this.engine) return;
    const args = { image: this.image, size: this.size, kernel: this.kernel };
    const ticket = ++this.computing;
    this.root.dataset.busy = '';
    const result = await this.engine.client.call('conv2d', args, { channel: `convolution-${this.id}` })
      .finally(() => { if (ticket === this.computing) delete this.root.dataset.busy; });
    if (result === STALE || !this.root.isConnected) return;
    // Asked with an image, conv2d answers its feature maps.
    const { pre, post, pooled } = /** @type {import('../core/engine-protocol.js').FeatureMaps} */ (result);
    this.map = { pre, post };
    this.pooled = pooled;
    this.showKernel();
    this.moveTo(this.position, false);
  }

  showKernel() {
    const k = this.kernel;
    const scale = Math.max(...k.weights.map(Math.abs));
    const rows = [];
    for (let r = 0; r < KERNEL_SIZE; r++) {
      const cells = k.weights.slice(r * KERNEL_SIZE, (r + 1) * KERNEL_SIZE)
        .map((w) => `<td style="background:${weightColor(w, scale)}">${f2(w)}</td>`);
      rows.push(`<tr>${rowHeader(r)}${cells.join('')}</tr>`);
    }
    this.el['kernel-grid'].innerHTML = rows.join('');
    this.el['kernel-caption'].textContent = `Kernel, bias ${f3(k.bias)}`;
    this.el['kernel-note'].textContent = k.learned
      ? `${k.name} of the first layer (${this.learnedLayer}) of the CNN this site trained: nobody designed these nine `
        + 'numbers, gradient descent found them.'
      : `Hand-made: ${k.description}. Its bias is 0.`;
  }

  /**
   * Put the window at `index` (row-major), write out the arithmetic, redraw.
   * @param {number} index
   * @param {boolean} announce describe the position in the live region
   */
  moveTo(index, announce) {
    const last = this.size * this.size - 1;
    this.position = Math.max(0, Math.min(last, index));
    this.root.dataset.position = String(this.position);
    if (!this.map) return;
    const { row, col } = positionOf(this.position, this.size);
    const kernel = this.kernel;
    const p = convolveAt(this.image, this.size, kernel, row, col);
    const cells = [];
    for (let r = 0; r < KERNEL_SIZE; r++) {
      const items = [];
      for (let c = 0; c < KERNEL_SIZE; c++) {
        const i = r * KERNEL_SIZE + c;
        items.push(`<td><span class="dl-conv-pixel">${f2(p.patch[i])}</span> × `
          + `<span class="dl-conv-weight">${f2(kernel.weights[i])}</span> = <b>${f2(p.products[i])}</b></td>`);
      }
      cells.push(`<tr>${rowHeader(r)}${items.join('')}</tr>`);
    }
    this.el.products.innerHTML = cells.join('');
    const mapValue = this.map.post[this.position];
    Object.assign(this.el.arithmetic.dataset, {
      row: String(row), col: String(col), sum: String(p.sum), output: String(p.output), mapValue: String(mapValue),
    });
    const relu = p.preActivation > 0 ? `ReLU keeps it: <b>${f3(p.output)}</b>` : 'ReLU turns it into <b>0</b>';
    this.el.result.innerHTML = `Row ${row + 1}, column ${col + 1}: sum of the nine products <b>${f3(p.sum)}</b>`
      + ` + bias ${f3(kernel.bias)} = ${f3(p.preActivation)}; ${relu}.`;
    if (announce) this.el.live.textContent = describePosition(p, kernel);
    this.draw();
  }

  play() {
    if (this.position >= this.size * this.size - 1) this.moveTo(0, false);
    this.el.play.textContent = 'Pause';
    this.el.play.setAttribute('aria-pressed', 'true');
    const speed = SPEEDS[/** @type {keyof typeof SPEEDS} */ (this.el.speed.value)] ?? SPEEDS.slow;
    // Fast: several positions per tick, so a whole image takes seconds, not minutes.
    const interval = Math.max(16, 1000 / speed);
    const perTick = Math.max(1, Math.round((speed * interval) / 1000));
    const tick = () => {
      const next = Math.min(this.size * this.size - 1, this.position + perTick);
      this.moveTo(next, false);
      if (next < this.size * this.size - 1 && this.root.isConnected) this.timer = setTimeout(tick, interval);
      else this.pause();
    };
    this.timer = setTimeout(tick, interval);
  }

  pause() {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.el.play.textContent = 'Play';
    this.el.play.setAttribute('aria-pressed', 'false');
    this.moveTo(this.position, true);
  }

  /**
   * Arrow keys move the window; Home and End jump; Enter or Space steps.
   * @param {KeyboardEvent} e
   */
  onKey(e) {
    if (!this.map) return;
    const { row, col } = positionOf(this.position, this.size);
    const s = this.size;
    /** @type {Record<string, number>} */
    const targets = {
      ArrowLeft: row * s + Math.max(0, col - 1), ArrowRight: row * s + Math.min(s - 1, col + 1),
      ArrowUp: Math.max(0, row - 1) * s + col, ArrowDown: Math.min(s - 1, row + 1) * s + col,
      Home: 0, End: s * s - 1, Enter: this.position + 1, ' ': this.position + 1,
    };
    if (!(e.key in targets)) return;
    e.preventDefault();
    this.pause();
    this.moveTo(targets[e.key], true);
  }

  /**
   * A click on the input or the feature map: move the window there.
   * @param {MouseEvent} e
   * @param {number} border cells of padding drawn around the image on that canvas
   */
  pick(e, border) {
    const canvas = /** @type {HTMLCanvasElement} */ (e.currentTarget);
    const rect = canvas.getBoundingClientRect();
    const cells = this.size + 2 * border;
    const col = Math.floor(((e.clientX - rect.left) / rect.width) * cells) - border;
    const row = Math.floor(((e.clientY - rect.top) / rect.height) * cells) - border;
    if (row < 0 || col < 0 || row >= this.size || col >= this.size) return;
    this.pause();
    this.moveTo(row * this.size + col, true);
  }

  /** Paint the input with the window on it, the feature map so far and its pooling. */
  draw() {
    if (!this.map || !this.root.isConnected) return;
    const { accent } = themeColors();
    drawPaddedInput(this.el.input, this.image, this.size, this.position, accent);
    drawFeatureMap(this.el.output, this.map.post, this.size, this.position, accent);
    drawPooledMap(this.el.pooled, /** @type {Float32Array} */ (this.pooled), this.size, this.position);
  }

  destroy() {
    clearTimeout(this.timer);
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.stopWatching();
    this.pad?.destroy();
  }
}
