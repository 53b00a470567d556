// @ts-check
/**
 * "Train it in your browser": the quickstart MLP, built from its model.json and
 * metadata.json, trained from scratch on MNIST in a Web Worker, with live
 * curves next to the Python run's. The reader's model then joins every digit
 * widget on the page. It trains in the page's engine (a worker, shared with the
 * digit pads), so the page only draws the curves.
 *
 * Testing contract: [data-widget="trainer"] with data-state idle | loading-data |
 * training | trained | error; [data-role="train"], [data-role="stop"],
 * progress[data-role="progress"], [data-role="test-accuracy"] with data-value (0..1);
 * data-leaked-tensors on the root once trained (tensors the worker failed to free).
 * One test hook: ?train-limit=N trains on the first N training images only.
 */
import { loadScript } from '../browser/load-script.js';
import { getEngine } from '../browser/engine-client.js';
import { fetchJson } from '../core/metadata.js';
import { offerModel } from '../browser/user-models.js';
import { find } from './dom.js';

const EPOCH_CHOICES = [1, 2, 3, 5];
const DEFAULT_EPOCHS = 2;

const TEMPLATE = `
  <div class="dl-trainer-controls">
    <label>Epochs <select data-role="epochs">${EPOCH_CHOICES.map((e) => `<option value="${e}"${e === DEFAULT_EPOCHS ? ' selected' : ''}>${e}</option>`).join('')}</select></label>
    <button type="button" class="md-button md-button--primary" data-role="train">Train</button>
    <button type="button" class="md-button" data-role="stop" disabled>Stop</button>
  </div>
  <progress data-role="progress" max="1" value="0"></progress>
  <p data-role="status" class="dl-status" aria-live="polite">Press Train: the images (a few MB) download only then.</p>
  <div class="dl-trainer-charts">
    <figure class="dl-chart"><canvas data-role="loss-chart" role="img" aria-label="Loss while training, in your browser and in the Python run"></canvas></figure>
    <figure class="dl-chart"><canvas data-role="accuracy-chart" role="img" aria-label="Accuracy while training, in your browser and in the Python run"></canvas></figure>
  </div>
  <p class="dl-trainer-result">Test accuracy on the 10,000 test images: <b data-role="test-accuracy" data-value="">not yet</b></p>`;

/** Colours for: your run (per batch), your run (validation), the Python run. */
const COLORS = ['#e65100', '#bf360c', '#1e88e5'];

export class TrainerWidget {
  /**
   * @param {HTMLElement} root
   * @param {{vendor: Record<string, string>}} env
   */
  constructor(root, env) {
    this.root = root;
    this.env = env;
    const [model] = JSON.parse(root.dataset.models || '[]');
    this.metadataUrl = new URL(model.metadata, location.href);
    this.dataUrl = new URL(root.dataset.trainingData || '', location.href);
    root.innerHTML = TEMPLATE;
    root.dataset.state = 'idle';
    this.el = {
      epochs: find(root, '[data-role=epochs]', HTMLSelectElement),
      train: find(root, '[data-role=train]', HTMLButtonElement),
      stop: find(root, '[data-role=stop]', HTMLButtonElement),
      progress: find(root, '[data-role=progress]', HTMLProgressElement),
      status: find(root, '[data-role=status]', HTMLElement),
      accuracy: find(root, '[data-role=test-accuracy]', HTMLElement),
    };
    this.engine = getEngine(env.vendor);
    /** @type {any[]} */
    this.charts = [];
    /** @type {number | undefined} a pending chart redraw */
    this.redraw = undefined;
    this.started = 0;
    this.backend = '';
    this.el.train.addEventListener('click', () => this.train().catch((error) => this.fail(error)));
    this.el.stop.addEventListener('click', () => this.engine.client.call('stop'));
  }

  /** @param {string} state */
  setState(state) {
    this.root.dataset.state = state;
    const busy = state === 'loading-data' || state === 'training';
    this.el.train.disabled = busy;
    this.el.stop.disabled = state !== 'training';
    this.el.epochs.disabled = busy;
  }

  /** @param {Error} error */
  fail(error) {
    console.warn('trainer:', error);
    this.setState('error');
    this.el.status.textContent = `Training stopped: ${error.message}`;
  }

  async train() {
    const metadata = await fetchJson(this.metadataUrl);
    const epochs = Number(this.el.epochs.value);
    await this.startCharts(metadata, epochs);
    this.setState('loading-data');
    this.el.status.textContent = 'Starting TensorFlow.js in a worker…';
    this.el.accuracy.textContent = 'not yet';
    this.el.accuracy.dataset.value = '';
    this.started = 0;
    const trainLimit = Number(new URLSearchParams(location.search).get('train-limit')) || undefined;
    this.backend = (await this.engine.start()).name;
    const job = { metadataUrl: this.metadataUrl.href, dataUrl: this.dataUrl.href, epochs, trainLimit };
    const result = await this.engine.client.call('train', job, { onProgress: (m) => this.onMessage(m, metadata, epochs) });
    this.onMessage({ type: 'done', ...result }, metadata, epochs);
  }

  /**
   * @param {any} message from the engine
   * @param {any} metadata the quickstart model's metadata.json
   * @param {number} epochs
   */
  onMessage(message, metadata, epochs) {
    const { el } = this;
    if (message.type === 'status' && message.backend) this.backend = message.backend;
    if (message.type === 'status' && message.state) {
      this.setState(message.state);
      if (message.state === 'training') {
        this.started = performance.now();
        el.progress.value = 0;
        el.status.textContent = `Training ${message.params.toLocaleString('en')} weights on ${this.backend}…`;
      }
    } else if (message.type === 'download') {
      el.progress.value = message.loaded / message.total;
      el.status.textContent = `Downloading the training images: ${(message.loaded / 1e6).toFixed(1)} of ${(message.total / 1e6).toFixed(1)} MB`;
    } else if (message.type === 'batch') {
      const x = message.epoch - 1 + message.batch / message.batches;
      el.progress.value = x / epochs;
      this.add(0, x, message.loss, message.accuracy);
      const seconds = (performance.now() - this.started) / 1000;
      el.status.textContent = `Epoch ${message.epoch} of ${epochs}, batch ${message.batch} of ${message.batches} `
        + `(${metadata.config.batch_size} images a step): loss ${message.loss.toFixed(3)}, accuracy ${(message.accuracy * 100).toFixed(1)} %, ${seconds.toFixed(0)} s`;
    } else if (message.type === 'epoch') {
      this.add(1, message.epoch, message.val_loss, message.val_accuracy);
    } else if (message.type === 'done') {
      this.root.dataset.leakedTensors = String(message.leakedTensors);
      this.setState('trained');
      el.progress.value = 1;
      el.accuracy.textContent = `${(message.test.accuracy * 100).toFixed(2)} %`;
      el.accuracy.dataset.value = message.test.accuracy.toFixed(4);
      el.status.textContent = `${message.stopped ? 'Stopped' : 'Done'} after ${message.seconds.toFixed(0)} s of training on ${this.backend}. `
        + 'The digit pads on this page now use it ("Your trained MLP" in their model list).';
      offerModel({ name: 'trained', title: 'Your trained MLP', base: metadata.name, artifacts: message.artifacts, verdict: false }, true);
    } else if (message.type === 'error') {
      this.fail(new Error(message.message));
    }
  }

  /**
   * Two charts (loss, accuracy), each with your run per batch, your run per epoch
   * (validation) and the Python run of the same model per epoch.
   * @param {any} metadata
   * @param {number} epochs
   */
  async startCharts(metadata, epochs) {
    await loadScript(this.env.vendor.chart);
    const { Chart } = /** @type {any} */ (window);
    const style = getComputedStyle(document.body);
    const text = style.getPropertyValue('--md-default-fg-color').trim() || '#222';
    this.charts.forEach((c) => c.destroy());
    const python = metadata.history;
    this.charts = ['loss', 'accuracy'].map((metric) => new Chart(
      find(this.root, `[data-role=${metric}-chart]`, HTMLCanvasElement),
      {
        type: 'line',
        data: {
          datasets: [
            { label: 'your run: training batches', data: [], borderColor: COLORS[0], backgroundColor: COLORS[0], pointRadius: 0, borderWidth: 1 },
            { label: 'your run: validation', data: [], borderColor: COLORS[1], backgroundColor: COLORS[1], pointRadius: 4 },
            {
              label: 'Python run: validation',
              data: python[`val_${metric}`].map((/** @type {number} */ v, /** @type {number} */ i) => ({ x: i + 1, y: v })),
              borderColor: COLORS[2], backgroundColor: COLORS[2], borderDash: [5, 4], pointRadius: 3,
            },
          ],
        },
        options: {
          animation: false,
          parsing: false,
          scales: {
            x: { type: 'linear', min: 0, max: Math.max(epochs, python.loss.length), title: { display: true, text: 'epoch', color: text } },
            y: { type: metric === 'loss' ? 'logarithmic' : 'linear', title: { display: true, text: metric, color: text } },
          },
          plugins: { legend: { labels: { color: text } } },
        },
      },
    ));
  }

  /**
   * @param {number} series 0: batches, 1: validation
   * @param {number} x epochs
   * @param {number} loss
   * @param {number} accuracy
   */
  add(series, x, loss, accuracy) {
    [loss, accuracy].forEach((y, k) => this.charts[k]?.data.datasets[series].data.push({ x, y }));
    // Redrawn once a frame at most, both charts together: the main thread stays free for the reader.
    this.redraw ??= requestAnimationFrame(() => {
      this.redraw = undefined;
      this.charts.forEach((chart) => chart.update('none'));
    });
  }

  destroy() {
    if (this.root.dataset.state === 'training') this.engine.client.call('stop');
    this.charts.forEach((c) => c.destroy());
  }
}
