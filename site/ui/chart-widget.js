// @ts-check
/**
 * Charts of the pipeline's numbers (embedded in the page at build time by the
 * docs hook), drawn with Chart.js, redrawn when the reader switches palette.
 *
 * Kinds: "curves" (a metric per epoch, train vs validation, one colour per run),
 * "confusion" (true vs predicted counts, a matrix), "counts" (images per class) and
 * "reliability" (accuracy per confidence bin: does "90 % sure" mean right 9 times in 10?).
 */
import { loadScript } from '../browser/load-script.js';
import { find, whenNear } from './dom.js';
import { SERIES_COLORS as PALETTE, onPaletteChange, themeColors } from './palette.js';

/**
 * The numbers each kind of chart draws, embedded in `data-chart` by the docs hook
 * (docs/hooks/shortcodes.py, chart_data).
 * @typedef {{metric: string, series: Array<{name: string, train: number[], validation: number[]}>}} CurvesData
 * @typedef {{labels: string[], matrix: number[][], title: string}} ConfusionData
 * @typedef {{labels: string[], train: number[], test: number[]}} CountsData
 * @typedef {{upper: number, count: number, confidence: number | null, accuracy: number | null}} Bin
 *   one confidence bin of a calibration record (train/calibration.py)
 * @typedef {{series: Array<{name: string, bins: Bin[]}>}} ReliabilityData
 * @typedef {ReturnType<typeof themeColors>} Colors
 */

/**
 * The part of Chart.js' configuration these charts build. Chart.js is a global UMD script
 * (window.Chart) with no types installed, so its shapes are written here, as far as they are used.
 * @typedef {{x: string, y: string, v: number}} MatrixCell one cell of the confusion matrix
 * @typedef {{chartArea?: {width: number, height: number}}} ChartSize the part of the chart a cell's size reads
 * @typedef {{
 *   type?: 'line', label: string, data: Array<number | null> | MatrixCell[],
 *   borderColor?: string, backgroundColor?: string | ((context: {raw?: MatrixCell}) => string),
 *   borderDash?: number[], borderWidth?: number, pointRadius?: number,
 *   width?: (context: {chart: ChartSize}) => number, height?: (context: {chart: ChartSize}) => number,
 *   counts?: number[]}} Dataset counts: the test images in each bin (the reliability tooltip)
 * @typedef {{
 *   type?: 'linear' | 'logarithmic' | 'category', labels?: string[], position?: 'top', offset?: boolean,
 *   reverse?: boolean, min?: number, max?: number, grid?: {display: boolean},
 *   title?: {display: boolean, text: string, color?: string}}} Axis
 * @typedef {{
 *   aspectRatio?: number, animation?: boolean, responsive?: boolean,
 *   plugins?: {legend?: {display: boolean}, tooltip?: {callbacks: {
 *     title?: () => string, label?: (item: {raw: MatrixCell}) => string,
 *     afterLabel?: (item: {dataset: Dataset, dataIndex: number}) => string}}},
 *   scales?: {x?: Axis, y?: Axis}}} Options
 * @typedef {{type: 'line' | 'bar' | 'matrix', data: {labels?: Array<string | number>, datasets: Dataset[]}, options: Options}} ChartConfig
 */

/**
 * @param {CurvesData} data
 * @param {Colors} colors
 * @returns {ChartConfig}
 */
function curvesConfig(data, colors) {
  // Every run shows all its epochs: the axis is as long as the longest run.
  const longest = Math.max(...data.series.map((s) => s.train.length));
  const epochs = Array.from({ length: longest }, (_, i) => i + 1);
  const datasets = data.series.flatMap((s, k) => [
    { label: `${s.name}: train`, data: s.train, borderColor: PALETTE[k % PALETTE.length], backgroundColor: PALETTE[k % PALETTE.length], borderDash: [5, 4] },
    { label: `${s.name}: validation`, data: s.validation, borderColor: PALETTE[k % PALETTE.length], backgroundColor: PALETTE[k % PALETTE.length] },
  ]);
  return {
    type: 'line',
    data: { labels: epochs, datasets },
    options: {
      scales: {
        x: { title: { display: true, text: 'epoch', color: colors.text } },
        // Losses span orders of magnitude across runs: a log axis keeps all readable.
        y: { type: data.metric === 'loss' ? 'logarithmic' : 'linear', title: { display: true, text: data.metric, color: colors.text } },
      },
    },
  };
}

/**
 * @param {ConfusionData} data
 * @param {Colors} colors
 * @returns {ChartConfig}
 */
function confusionConfig(data, colors) {
  const n = data.labels.length;
  const max = Math.max(...data.matrix.flat());
  const cells = data.matrix.flatMap((row, t) => row.map((v, p) => ({ x: data.labels[p], y: data.labels[t], v })));
  return {
    type: 'matrix',
    data: {
      datasets: [{
        label: `${data.title}: true (rows) vs predicted (columns)`,
        data: cells,
        backgroundColor: (ctx) => {
          const v = ctx.raw?.v ?? 0;
          // Log scale, so that a handful of mistakes still shows next to ~1,000 hits.
          const a = v === 0 ? 0.03 : 0.15 + 0.85 * Math.log1p(v) / Math.log1p(max);
          return `rgba(230, 81, 0, ${a.toFixed(3)})`;
        },
        borderWidth: 0,
        width: ({ chart }) => Number(chart.chartArea?.width) / n - 1,
        height: ({ chart }) => Number(chart.chartArea?.height) / n - 1,
      }],
    },
    options: {
      aspectRatio: 1.1,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: () => '', label: (c) => `true ${c.raw.y}, predicted ${c.raw.x}: ${c.raw.v}` } },
      },
      scales: {
        x: { type: 'category', labels: data.labels, position: 'top', title: { display: true, text: 'predicted', color: colors.text }, grid: { display: false } },
        y: { type: 'category', labels: data.labels, offset: true, reverse: true, title: { display: true, text: 'true', color: colors.text }, grid: { display: false } },
      },
    },
  };
}

/**
 * @param {CountsData} data
 * @returns {ChartConfig}
 */
function countsConfig(data) {
  return {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: [
        { label: 'train', data: data.train, backgroundColor: PALETTE[0] },
        { label: 'test', data: data.test, backgroundColor: PALETTE[1] },
      ],
    },
    options: { scales: { y: { title: { display: true, text: 'images' } } } },
  };
}

/**
 * @param {ReliabilityData} data
 * @param {Colors} colors
 * @returns {ChartConfig}
 */
function reliabilityConfig(data, colors) {
  const bins = data.series[0].bins;
  const labels = bins.map((b, i) => `${(i ? bins[i - 1].upper : 0).toFixed(1)}–${b.upper.toFixed(1)}`);
  /** @type {Dataset[]} */
  const datasets = data.series.map((s, k) => ({
    label: `${s.name}: accuracy`,
    data: s.bins.map((b) => b.accuracy),
    backgroundColor: PALETTE[k % PALETTE.length],
    counts: s.bins.map((b) => b.count),
  }));
  datasets.push({
    type: 'line', label: 'perfect calibration', data: bins.map((b) => b.upper - 0.05),
    borderColor: colors.text, borderDash: [4, 4], pointRadius: 0, backgroundColor: colors.text,
  });
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      plugins: { tooltip: { callbacks: { afterLabel: (c) => (c.dataset.counts ? `${c.dataset.counts[c.dataIndex]} test images` : '') } } },
      scales: {
        x: { title: { display: true, text: 'confidence (top probability)', color: colors.text } },
        y: { min: 0, max: 1, title: { display: true, text: 'share right', color: colors.text } },
      },
    },
  };
}

const BUILDERS = { curves: curvesConfig, confusion: confusionConfig, counts: countsConfig, reliability: reliabilityConfig };

export class ChartWidget {
  /**
   * @param {HTMLElement} root
   * @param {{vendor: Record<string, string>}} env URLs of the vendored npm files
   */
  constructor(root, { vendor }) {
    this.root = root;
    this.data = JSON.parse(root.dataset.chart ?? '{}');
    this.kind = /** @type {keyof typeof BUILDERS} */ (root.dataset.kind);
    this.canvas = find(root, 'canvas', HTMLCanvasElement);
    /** @type {any} the Chart.js chart: Chart.js is a global UMD script with no types installed */
    this.chart = null;
    this.stopWatching = onPaletteChange(() => this.draw());
    root.dataset.state = 'waiting';
    // Chart.js (and the drawing) only when the chart comes near the screen: a page of charts stays quick to open.
    this.stopWaiting = whenNear(root, '200px', () => {
      loadScript(vendor.chart)
        .then(() => (this.kind === 'confusion' ? loadScript(vendor.chartMatrix) : null))
        .then(() => this.draw())
        .catch((error) => {
          root.dataset.state = 'error';
          console.warn('chart:', error);
        });
    });
  }

  draw() {
    // Chart.js is a global UMD script (window.Chart) with no types installed.
    const { Chart } = /** @type {any} */ (window);
    if (!Chart || !this.root.isConnected) return;
    const colors = themeColors();
    Chart.defaults.color = colors.text;
    Chart.defaults.borderColor = colors.grid;
    this.chart?.destroy();
    const config = BUILDERS[this.kind](this.data, colors);
    config.options = { ...config.options, animation: false, responsive: true };
    this.chart = new Chart(this.canvas, config);
    this.root.dataset.state = 'ready';
  }

  destroy() {
    this.stopWaiting();
    this.stopWatching();
    this.chart?.destroy();
  }
}
