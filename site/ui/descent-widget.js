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
 * This module is the state machine, the template and the wiring; the painters draw: the map
 * (loss-surface-painter.js) with the path on it (descent-path-painter.js), the clouds with the
 * boundary (decision-boundary-painter.js) and the loss per step (loss-curve-painter.js).
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
} from '../core/descent.js';
import { roles } from './dom.js';
import { onPaletteChange, themeColors } from './palette.js';
import { LossSurfacePainter } from './loss-surface-painter.js';
import { drawDescentPath } from './descent-path-painter.js';
import { drawDecisionBoundary } from './decision-boundary-painter.js';
import { drawLossCurve } from './loss-curve-painter.js';

/** Grid points per side of the loss surface: smooth enough once scaled, computed in a blink. */
const GRID = 120;
/** Milliseconds between steps while running: slow enough to follow the dot. */
const RUN_INTERVAL_MS = 150;
/** A run stops by itself after this many steps. */
const MAX_RUN = 100;
/** How far the arrow keys move the starting point (Shift: ten times less). */
const KEY_STEP = 0.1;

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
    /** the map: the loss surface, once the engine has computed it */
    this.surface = new LossSurfacePainter(this.el.surface);
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
    this.surface.setLosses(surface, GRID);
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
    const w = this.surface.weightsAt(e.clientX, e.clientY);
    if (w) this.enqueue(() => this.reset(w));
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

  /** Paint the map with the path on it, the data with the boundary, and the loss curve. */
  draw() {
    if (!this.root.isConnected || !this.surface.ready) return;
    const colors = themeColors();
    const view = this.surface.draw(colors);
    if (this.path.length) drawDescentPath(view, this.path, this.learningRate, colors.accent);
    const here = this.path[this.path.length - 1];
    drawDecisionBoundary(this.el.data, /** @type {Problem} */ (this.problem).clouds, here ? here.w : [0, 0], colors);
    drawLossCurve(this.el.curve, this.path.map((p) => p.loss), colors);
  }

  destroy() {
    this.stop(false);
    this.resizeObserver.disconnect();
    this.stopWatching();
  }
}
