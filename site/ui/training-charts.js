// @ts-check
/**
 * The trainer's two live charts (loss, accuracy), drawn with Chart.js: the Python run of the
 * shipped model per epoch, then every run the reader makes in this visit, the current one in
 * full colour and the earlier ones faded, so that two settings can be compared.
 *
 * Cheap while training: each run keeps at most MAX_POINTS batch points (when it has more, pairs
 * are averaged into one), and the charts redraw at most REDRAWS_PER_SECOND times, whatever the
 * rate of the engine's reports. The page does no other work per batch. Chart.js' start (its
 * script, and a first chart that costs far more than any later one) happens in prepare(), when
 * the charts come near the screen, one chart per task: not when the reader presses Train.
 */
import { loadScript } from '../browser/load-script.js';
import { decimated } from '../core/series.js';
import { find } from './dom.js';
import { onPaletteChange, themeColors } from './palette.js';

const MAX_POINTS = 240;
const REDRAWS_PER_SECOND = 4;
/** Colours: your runs (batches, validation), the Python run. */
const COLORS = { batches: '#e65100', validation: '#bf360c', python: '#1e88e5' };
const METRICS = /** @type {const} */ (['loss', 'accuracy']);

/** @typedef {import('../core/series.js').Point} Point */

/** Resolves in a new task, so that the page may paint and answer input in between. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export class TrainingCharts {
  /**
   * @param {HTMLElement} root holds canvas[data-role=loss-chart] and canvas[data-role=accuracy-chart]
   * @param {string} chartUrl Chart.js' UMD file
   */
  constructor(root, chartUrl) {
    this.root = root;
    this.chartUrl = chartUrl;
    /** @type {any[]} the Chart.js charts: Chart.js is a global UMD script with no types installed */
    this.charts = [];
    this.runs = 0;
    /** @type {Promise<void> | undefined} */
    this.prepared = undefined;
    this.destroyed = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.lastDraw = 0;
    this.list = find(root, '[data-role=runs]', HTMLOListElement);
    // Text colours follow the reader's palette, switched at any time.
    this.stopWatching = onPaletteChange(() => this.recolor());
  }

  textColor() {
    return themeColors().text;
  }

  /**
   * Load Chart.js and draw the Python run's curves, once; each chart in a task of its own.
   * root.dataset.charts is 'ready' when both are drawn.
   * @param {Record<string, number[]>} python metadata.history of the shipped model (Keras' names: loss, val_loss...)
   * @returns {Promise<void>}
   */
  prepare(python) {
    this.prepared ??= (async () => {
      await loadScript(this.chartUrl);
      for (const metric of METRICS) {
        await nextTask();
        if (this.destroyed) return;
        this.charts.push(this.makeChart(metric, python));
      }
      this.root.dataset.charts = 'ready';
    })();
    return this.prepared;
  }

  /**
   * Start a run: the charts are made on the first, with the Python run; each later run fades the earlier ones.
   * @param {Record<string, number[]>} python metadata.history of the shipped model (Keras' names: loss, val_loss...)
   * @param {number} epochs this run's
   * @param {string} label how this run is named in the legend (its settings)
   */
  async startRun(python, epochs, label) {
    await this.prepare(python);
    this.runs++;
    for (const chart of this.charts) {
      for (const set of chart.data.datasets.slice(1)) {
        set.borderColor = set.backgroundColor = `${set.baseColor}55`;
        set.borderWidth = 1;
      }
      chart.data.datasets.push(
        { label: `run ${this.runs}: batches`, run: this.runs, baseColor: COLORS.batches, borderColor: COLORS.batches, backgroundColor: COLORS.batches, data: [], pointRadius: 0, borderWidth: 1.5 },
        { label: `run ${this.runs}: validation`, run: this.runs, baseColor: COLORS.validation, borderColor: COLORS.validation, backgroundColor: COLORS.validation, data: [], pointRadius: 4, borderWidth: 2 },
      );
      chart.options.scales.x.max = Math.max(chart.options.scales.x.max, epochs);
    }
    /** @type {{batches: Point[][], validation: Point[][]}} */
    this.current = { batches: [[], []], validation: [[], []] };
    // Each run's settings are listed under the charts; the legends name the runs by number.
    const item = document.createElement('li');
    item.textContent = label;
    this.list.append(item);
    this.list.hidden = false;
    this.schedule();
  }

  /**
   * @param {'loss' | 'accuracy'} metric
   * @param {Record<string, number[]>} python
   */
  makeChart(metric, python) {
    // Chart.js is a global UMD script (window.Chart) with no types installed.
    const { Chart } = /** @type {any} */ (window);
    const text = this.textColor();
    return new Chart(find(this.root, `[data-role=${metric}-chart]`, HTMLCanvasElement), {
      type: 'line',
      data: {
        datasets: [{
          label: 'Python run: validation',
          data: python[`val_${metric}`].map((v, i) => ({ x: i + 1, y: v })),
          borderColor: COLORS.python, backgroundColor: COLORS.python, borderDash: [5, 4], pointRadius: 3,
        }],
      },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        scales: {
          x: { type: 'linear', min: 0, max: python.loss.length, title: { display: true, text: 'epoch', color: text }, ticks: { color: text } },
          y: { type: metric === 'loss' ? 'logarithmic' : 'linear', title: { display: true, text: metric, color: text }, ticks: { color: text } },
        },
        plugins: {
          legend: {
            labels: {
              color: text,
              boxHeight: 2,
              // The Python run, the run under way, and one entry (its validation) per earlier run.
              // (Chart.js' legend item and chart data: no types installed for Chart.js.)
              filter: (/** @type {any} */ item, /** @type {any} */ data) => {
                const set = data.datasets[item.datasetIndex];
                return !set.run || set.run === this.runs || set.label.endsWith('validation');
              },
            },
          },
        },
      },
    });
  }

  /**
   * One report of the current run.
   * @param {'batches' | 'validation'} series
   * @param {number} x in epochs
   * @param {number} loss
   * @param {number} accuracy
   */
  add(series, x, loss, accuracy) {
    if (!this.current) return;
    [loss, accuracy].forEach((y, k) => {
      const points = this.current?.[series][k];
      points?.push({ x, y });
      if (points && series === 'batches' && points.length > MAX_POINTS) this.current[series][k] = decimated(points, MAX_POINTS);
    });
    this.schedule();
  }

  /** Redraw soon, at most REDRAWS_PER_SECOND times a second. */
  schedule() {
    if (this.timer) return;
    const wait = Math.max(0, this.lastDraw + 1000 / REDRAWS_PER_SECOND - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, wait);
  }

  draw() {
    this.lastDraw = performance.now();
    const current = this.current;
    if (!current) return;
    // Each chart in a task of its own: the two together can pass fifty milliseconds on a slow machine.
    this.charts.forEach((chart, k) => setTimeout(() => {
      if (this.destroyed) return;
      const sets = chart.data.datasets;
      sets[sets.length - 2].data = current.batches[k].slice();
      sets[sets.length - 1].data = current.validation[k].slice();
      chart.update('none');
    }, 0));
  }

  recolor() {
    const text = this.textColor();
    for (const chart of this.charts) {
      for (const axis of Object.values(chart.options.scales)) {
        // Chart.js' scale options (no types installed for Chart.js).
        /** @type {any} */ (axis).title.color = text;
        /** @type {any} */ (axis).ticks.color = text;
      }
      chart.options.plugins.legend.labels.color = text;
      chart.update('none');
    }
  }

  destroy() {
    this.destroyed = true;
    clearTimeout(this.timer);
    this.stopWatching();
    this.charts.forEach((c) => c.destroy());
  }
}
