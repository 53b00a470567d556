// @ts-check
/**
 * "How learning works": gradient descent the reader can step, on the loss
 * surface of a two-weight logistic regression (site/core/descent.js).
 *
 * The surface is a heat map of the loss at every pair of weights (computed by
 * TF.js in one batched product), the weights are a dot with the path it took,
 * the gradient (from TF.js' autodiff) is an arrow, and the next step, minus
 * the learning rate times the gradient, a dashed line. Beside it: the two
 * clouds of points with the model's boundary, the read-out, the loss per step,
 * and the controls. Click the map, or focus it and use the arrow keys, to start
 * somewhere else.
 *
 * Testing contract: root [data-widget="descent"] with data-state (loading |
 * ready | error); [data-role="readout"] with data-step, data-loss, data-w1,
 * data-w2, data-grad1, data-grad2 and data-verdict (see judgeRun);
 * select[data-role="learning-rate"]; buttons [data-role="step"],
 * [data-role="run"] and [data-role="reset"]; canvas[data-role="surface"];
 * [data-role="live"], the live region. data-busy is on the root while a step the reader
 * asked for waits for the engine's answer.
 */
import { getEngine } from '../browser/engine-client.js';
import {
  DEFAULT_LEARNING_RATE, EXTENT, LEARNING_RATES, START, accuracyOf, describeStep, descend, judgeRun, makeClouds,
  surfaceColors,
} from '../core/descent.js';
import { roles } from './dom.js';
import { onPaletteChange, themeColors } from './palette.js';
import { fitBackingStore } from './canvas-size.js';

/** Grid points per side of the loss surface: smooth enough once scaled, computed in a blink. */
const GRID = 120;
/** Milliseconds between steps while running: slow enough to follow the dot. */
const RUN_INTERVAL_MS = 150;
/** A run stops by itself after this many steps. */
const MAX_RUN = 100;
/** How far the arrow keys move the starting point (Shift: ten times less). */
const KEY_STEP = 0.1;
/** The data panel shows x1, x2 from -DATA_EXTENT to DATA_EXTENT. */
const DATA_EXTENT = 6;
const CLASS_COLORS = ['#1e88e5', '#e65100'];

const VERDICTS = {
  start: 'Press Step to take the first step downhill.',
  descending: 'The loss is going down.',
  converged: 'The gradient is almost zero: the dot sits at the bottom of the valley.',
  bouncing: 'The loss goes up and down: each step overshoots the valley floor.',
  climbing: 'The loss is higher than where it started: the steps are far too large.',
};

const TEMPLATE = `
  <figure class="dl-descent-map">
    <canvas data-role="surface" tabindex="0" role="img"
      aria-label="Loss surface: the loss for every pair of weights w1 (across) and w2 (up), darker is lower. Click or use the arrow keys to choose where to start."></canvas>
    <figcaption class="dl-descent-legend">
      <span><i class="dl-key dl-key-dot"></i>weights now</span>
      <span><i class="dl-key dl-key-path"></i>path so far</span>
      <span><i class="dl-key dl-key-grad"></i>gradient (uphill)</span>
      <span><i class="dl-key dl-key-step"></i>next step</span>
      <span class="dl-descent-hint">Darker is lower loss. Click the map, or focus it and use the arrow keys, to start elsewhere.</span>
    </figcaption>
  </figure>
  <div class="dl-descent-side">
    <div class="dl-descent-controls">
      <label>Learning rate <select data-role="learning-rate">
        ${LEARNING_RATES.map((lr) => `<option value="${lr}"${lr === DEFAULT_LEARNING_RATE ? ' selected' : ''}>${lr}</option>`).join('')}
      </select></label>
      <button type="button" class="md-button md-button--primary" data-role="step" disabled>Step</button>
      <button type="button" class="md-button" data-role="run" aria-pressed="false" disabled>Run</button>
      <button type="button" class="md-button" data-role="reset" disabled>Reset</button>
    </div>
    <dl class="dl-descent-readout" data-role="readout">
      <dt>step</dt><dd data-field="step">0</dd>
      <dt>weights</dt><dd data-field="w"></dd>
      <dt>loss</dt><dd data-field="loss"></dd>
      <dt>gradient</dt><dd data-field="grad"></dd>
      <dt>points right</dt><dd data-field="accuracy"></dd>
    </dl>
    <p class="dl-descent-verdict" data-role="verdict"></p>
    <div class="dl-descent-plots">
      <figure><canvas data-role="data" role="img"
        aria-label="The data: two overlapping clouds of points, orange dots (label 1) and blue crosses (label 0), with the model's boundary"></canvas>
        <figcaption>The data and the boundary w · x = 0</figcaption></figure>
      <figure><canvas data-role="curve" role="img" aria-label="The loss after every step so far"></canvas>
        <figcaption>Loss per step</figcaption></figure>
    </div>
    <p class="dl-visually-hidden" data-role="live" aria-live="polite"></p>
  </div>`;

/**
 * @typedef {import('../core/descent.js').Weights} Weights
 * @typedef {{w: Weights, loss: number, grad: Weights}} Point a visited point and what TF.js said there
 * @typedef {{clouds: import('../core/descent.js').Clouds, accuracy: (w: Weights) => number,
 *   evaluate: (w: Weights) => Promise<import('../core/descent.js').Evaluation>}} Problem
 * @typedef {{surface: HTMLCanvasElement, 'learning-rate': HTMLSelectElement, step: HTMLButtonElement,
 *   run: HTMLButtonElement, reset: HTMLButtonElement, readout: HTMLDListElement, verdict: HTMLParagraphElement,
 *   data: HTMLCanvasElement, curve: HTMLCanvasElement, live: HTMLParagraphElement}} Roles
 *   the figure's parts (TEMPLATE), by data-role
 */


/**
 * Size a canvas' backing store to its CSS box times the device pixel ratio,
 * and return a context that draws in CSS pixels.
 * @param {HTMLCanvasElement} canvas
 */
function fitCanvas(canvas) {
  const { ratio } = fitBackingStore(canvas);
  const width = canvas.clientWidth, height = canvas.clientHeight;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width, height };
}

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

/** @param {number} v */
const fmt = (v) => (!Number.isFinite(v) ? String(v) : Math.abs(v) >= 1000 ? v.toExponential(2) : v.toFixed(3));

export class DescentWidget {
  /**
   * @param {HTMLElement} root the [data-widget] element
   * @param {{vendor: Record<string, string>}} env URLs of the vendored npm files
   */
  constructor(root, env) {
    this.root = root;
    root.dataset.state = 'loading';
    root.innerHTML = TEMPLATE;
    /** @type {Roles} */
    this.el = roles(root);
    /** @type {Problem | null} the clouds here; the loss and its gradient computed by the engine */
    this.problem = null;
    /** @type {Promise<unknown>} steps run one after another (each waits for the engine's answer) */
    this.queue = Promise.resolve();
    this.queued = 0;
    /** @type {HTMLCanvasElement | null} the heat map, GRID x GRID, scaled when drawn */
    this.heatmap = null;
    /** @type {Point[]} every point visited since the last reset, the current one last */
    this.path = [];
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.el.step.addEventListener('click', () => this.enqueue(() => this.step(true)));
    this.el.run.addEventListener('click', () => (this.timer ? this.stop() : this.run()));
    this.el.reset.addEventListener('click', () => this.enqueue(() => this.reset(START)));
    this.el['learning-rate'].addEventListener('change', () => this.show(false));
    this.el.surface.addEventListener('click', (/** @type {MouseEvent} */ e) => this.pick(e));
    this.el.surface.addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => this.onKey(e));
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(this.el.surface);
    // Redraw the canvases when the reader switches between the light and dark palettes.
    this.stopWatching = onPaletteChange(() => this.draw());
    this.start(env.vendor).catch((error) => this.fail(error));
  }

  /** @param {Record<string, string>} vendor */
  async start(vendor) {
    // The engine's full library: autodiff (tf.valueAndGrad) is not in the lean build the classifiers run on.
    const engine = getEngine(vendor);
    await engine.start();
    const clouds = makeClouds();
    /** @param {import('../core/engine-protocol.js').DescentArgs} args */
    const ask = (args) => engine.client.call('descent', args);
    // The descent operation answers what it is asked: an Evaluation, or the surface's losses.
    this.problem = {
      clouds,
      accuracy: (w) => accuracyOf(clouds, w),
      evaluate: (w) => /** @type {Promise<import('../core/descent.js').Evaluation>} */ (ask({ op: 'evaluate', w })),
    };
    const surface = /** @type {Float32Array} */ (await ask({ op: 'surface', size: GRID }));
    if (!this.root.isConnected) return;
    const { rgba } = surfaceColors(surface, GRID);
    this.heatmap = document.createElement('canvas');
    this.heatmap.width = this.heatmap.height = GRID;
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.heatmap.getContext('2d'));
    const image = ctx.createImageData(GRID, GRID);
    image.data.set(rgba);
    ctx.putImageData(image, 0, 0);
    for (const role of /** @type {const} */ (['step', 'run', 'reset'])) this.el[role].disabled = false;
    await this.reset(START);
    this.root.dataset.state = 'ready';
  }

  /** @param {Error} error */
  fail(error) {
    console.warn('descent:', error);
    this.root.dataset.state = 'error';
    this.el.verdict.textContent = `The figure could not start: ${error.message}`;
  }

  get learningRate() {
    return Number(this.el['learning-rate'].value);
  }

  /**
   * Start again from `w`, forgetting the path.
   * @param {Weights} w
   */
  async reset(w) {
    if (!this.problem) return;
    this.stop(false);
    const here = { w, ...(await this.problem.evaluate(w)) };
    this.path = [here];
    this.show(true);
  }

  /**
   * Run ``action`` after the steps already asked for (each waits for the engine's answer).
   * @param {() => Promise<unknown>} action
   */
  enqueue(action) {
    const ticket = ++this.queued;
    this.root.dataset.busy = '';
    this.queue = this.queue.then(action).catch((error) => this.fail(error)).finally(() => {
      if (ticket === this.queued) delete this.root.dataset.busy;
    });
    return this.queue;
  }

  /**
   * One step of gradient descent: w <- w - learning rate * gradient, then the
   * loss and gradient at the new weights, from TF.js.
   * @param {boolean} announce describe the step in the live region
   * @returns {Promise<boolean>} whether another step makes sense
   */
  async step(announce) {
    if (!this.problem) return false;
    const here = this.path[this.path.length - 1];
    const w = descend(here.w, here.grad, this.learningRate);
    const next = { w, ...(await this.problem.evaluate(w)) };
    this.path.push(next);
    this.show(announce);
    const verdict = this.verdict();
    // A run also stops when the weights leave the map: the marker on the edge says where they went.
    const onMap = Math.max(Math.abs(w[0]), Math.abs(w[1])) <= EXTENT;
    return Number.isFinite(next.loss) && onMap && verdict !== 'converged';
  }

  run() {
    this.el.run.textContent = 'Pause';
    this.el.run.setAttribute('aria-pressed', 'true');
    this.el.step.disabled = true;
    this.runStart = this.path.length - 1;
    const tick = async () => {
      const more = await this.step(false);
      if (!this.timer) return; // paused while the step was on its way
      if (more && this.path.length - 1 - /** @type {number} */ (this.runStart) < MAX_RUN && this.root.isConnected) {
        this.timer = setTimeout(() => tick().catch((e) => this.fail(e)), RUN_INTERVAL_MS);
      } else this.stop();
    };
    this.timer = setTimeout(() => tick().catch((e) => this.fail(e)), RUN_INTERVAL_MS);
  }

  /** @param {boolean} [announce] say what the run did */
  stop(announce = true) {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.el.run.textContent = 'Run';
    this.el.run.setAttribute('aria-pressed', 'false');
    this.el.step.disabled = false;
    if (announce && this.runStart !== undefined) {
      const first = this.path[this.runStart], last = this.path[this.path.length - 1];
      const steps = this.path.length - 1 - this.runStart;
      this.el.live.textContent = `Ran ${steps} steps with learning rate ${this.learningRate}: loss from ${fmt(first.loss)} `
        + `to ${fmt(last.loss)}, weights now (${fmt(last.w[0])}, ${fmt(last.w[1])}). ${VERDICTS[this.verdict()]}`;
    }
  }

  verdict() {
    const last = this.path[this.path.length - 1];
    return judgeRun(this.path.map((p) => p.loss), Math.hypot(...last.grad));
  }

  /**
   * A click on the map: start from there.
   * @param {MouseEvent} e
   */
  pick(e) {
    const rect = this.el.surface.getBoundingClientRect();
    const map = this.mapBox(rect.width, rect.height);
    const w1 = ((e.clientX - rect.left - map.x) / map.size) * 2 * EXTENT - EXTENT;
    const w2 = EXTENT - ((e.clientY - rect.top - map.y) / map.size) * 2 * EXTENT;
    if (Math.abs(w1) <= EXTENT && Math.abs(w2) <= EXTENT) this.enqueue(() => this.reset([w1, w2]));
  }

  /**
   * Arrow keys move the starting point; Enter or Space takes a step.
   * @param {KeyboardEvent} e
   */
  onKey(e) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[/** @type {keyof typeof moves} */ (e.key)];
    if (move && this.problem) {
      e.preventDefault();
      const d = e.shiftKey ? KEY_STEP / 10 : KEY_STEP;
      const clamp = (/** @type {number} */ v) => Math.max(-EXTENT, Math.min(EXTENT, Math.round(v / d) * d));
      // Read where the dot is once the moves queued before this one have landed: keys pressed
      // faster than the engine answers each move the dot on from the last, none is lost.
      this.enqueue(() => {
        const [w1, w2] = this.path[this.path.length - 1].w;
        return this.reset([clamp(w1 + move[0] * d), clamp(w2 + move[1] * d)]);
      });
    } else if ((e.key === 'Enter' || e.key === ' ') && !this.timer) {
      e.preventDefault();
      this.enqueue(() => this.step(true));
    }
  }

  /**
   * Update the read-out (and, if asked, the live region), then redraw.
   * @param {boolean} announce
   */
  show(announce) {
    if (!this.problem || !this.path.length) return;
    const here = this.path[this.path.length - 1];
    const steps = this.path.length - 1;
    const readout = this.el.readout;
    const verdict = this.verdict();
    Object.assign(readout.dataset, {
      step: String(steps), loss: String(here.loss), w1: String(here.w[0]), w2: String(here.w[1]),
      grad1: String(here.grad[0]), grad2: String(here.grad[1]), verdict,
    });
    const field = (/** @type {string} */ name) => /** @type {HTMLElement} */ (readout.querySelector(`[data-field=${name}]`));
    const off = Math.max(Math.abs(here.w[0]), Math.abs(here.w[1])) > EXTENT ? ' (off the map)' : '';
    field('step').textContent = String(steps);
    field('w').textContent = `w1 = ${fmt(here.w[0])}, w2 = ${fmt(here.w[1])}${off}`;
    field('loss').textContent = fmt(here.loss);
    field('grad').textContent = `(${fmt(here.grad[0])}, ${fmt(here.grad[1])}), length ${fmt(Math.hypot(...here.grad))}`;
    field('accuracy').textContent = `${Math.round(this.problem.accuracy(here.w) * this.problem.clouds.count)} of ${this.problem.clouds.count}`;
    this.el.verdict.textContent = VERDICTS[verdict];
    if (announce) {
      const previous = steps ? this.path[steps - 1].loss : undefined;
      const text = describeStep({ step: steps, w: here.w, loss: here.loss, grad: here.grad, previous, learningRate: this.learningRate });
      this.el.live.textContent = steps ? `${text} ${VERDICTS[verdict]}` : `Starting at ${text.replace(/^Step 0: /, '')}`;
    }
    this.draw();
  }

  /**
   * Where the map goes inside the canvas: a square, leaving room for the axes.
   * @param {number} width
   * @param {number} height
   */
  mapBox(width, height) {
    const left = 44, bottom = 36, top = 8, right = 10;
    const size = Math.max(10, Math.min(width - left - right, height - top - bottom));
    return { x: left, y: top, size };
  }

  draw() {
    if (!this.root.isConnected || !this.heatmap) return;
    const colors = themeColors();
    this.drawSurface(colors);
    this.drawData(colors);
    this.drawCurve(colors);
  }

  /** @param {ReturnType<typeof themeColors>} colors */
  drawSurface(colors) {
    const { ctx, width, height } = fitCanvas(this.el.surface);
    const map = this.mapBox(width, height);
    ctx.clearRect(0, 0, width, height);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(/** @type {HTMLCanvasElement} */ (this.heatmap), map.x, map.y, map.size, map.size);
    const px = (/** @type {number} */ w1) => map.x + ((w1 + EXTENT) / (2 * EXTENT)) * map.size;
    const py = (/** @type {number} */ w2) => map.y + ((EXTENT - w2) / (2 * EXTENT)) * map.size;
    // Axes: ticks every unit, labelled.
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

    if (!this.path.length) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(map.x, map.y, map.size, map.size);
    ctx.clip();
    // Path so far.
    if (this.path.length > 1) {
      haloStroke(ctx, () => {
        this.path.forEach((p, i) => (i ? ctx.lineTo(px(p.w[0]), py(p.w[1])) : ctx.moveTo(px(p.w[0]), py(p.w[1]))));
      }, '#ffffff', 1.5);
      for (const p of this.path.slice(0, -1)) {
        ctx.beginPath();
        ctx.arc(px(p.w[0]), py(p.w[1]), 2.5, 0, 2 * Math.PI);
        ctx.fillStyle = '#ffffff';
        ctx.fill();
      }
    }
    const here = this.path[this.path.length - 1];
    const [x, y] = [px(here.w[0]), py(here.w[1])];
    // The next step: minus the learning rate times the gradient.
    const next = descend(here.w, here.grad, this.learningRate);
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
      ctx.fillStyle = colors.accent;
      ctx.fill();
      ctx.strokeStyle = '#000000';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
  }

  /** @param {ReturnType<typeof themeColors>} colors */
  drawData(colors) {
    const problem = /** @type {Problem} */ (this.problem);
    const { ctx, width, height } = fitCanvas(this.el.data);
    const size = Math.min(width, height);
    const to = (/** @type {number} */ v) => ((v + DATA_EXTENT) / (2 * DATA_EXTENT)) * size;
    const toY = (/** @type {number} */ v) => ((DATA_EXTENT - v) / (2 * DATA_EXTENT)) * size;
    ctx.clearRect(0, 0, width, height);
    const here = this.path[this.path.length - 1];
    const [w1, w2] = here ? here.w : [0, 0];
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
    const { points, labels, count } = problem.clouds;
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

  /** @param {ReturnType<typeof themeColors>} colors */
  drawCurve(colors) {
    const { ctx, width, height } = fitCanvas(this.el.curve);
    ctx.clearRect(0, 0, width, height);
    const losses = this.path.map((p) => p.loss).filter(Number.isFinite);
    const left = 30, bottom = 16, top = 6, right = 6;
    const plotW = width - left - right, plotH = height - top - bottom;
    const max = Math.max(...losses, 1e-9);
    const n = Math.max(10, losses.length - 1);
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
    if (!losses.length) return;
    ctx.beginPath();
    losses.forEach((loss, i) => {
      const x = left + (i / n) * plotW, y = top + plotH - (loss / max) * plotH;
      if (i) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
    });
    ctx.strokeStyle = colors.primary;
    ctx.lineWidth = 2;
    ctx.stroke();
  }

  destroy() {
    this.stop(false);
    this.resizeObserver.disconnect();
    this.stopWatching();
  }
}
