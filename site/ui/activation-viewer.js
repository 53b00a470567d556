// @ts-check
/**
 * "What the network sees": the feature maps of every convolution and pooling
 * layer as small heat maps, and the output layer, for the current input.
 */
import { featureMapColors } from '../core/activations.js';
import { find } from './dom.js';

const MAX_MAPS = 8;

export class ActivationViewer {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    container.classList.add('dl-activations');
    container.innerHTML = `
      <label class="dl-toggle"><input type="checkbox" data-role="activations-toggle"> Show what the network sees (feature maps)</label>
      <p class="dl-activations-note" hidden></p>
      <div class="dl-activation-layers" data-role="activation-layers" hidden></div>`;
    this.toggle = find(container, '[data-role="activations-toggle"]', HTMLInputElement);
    this.note = find(container, '.dl-activations-note', HTMLElement);
    this.panels = find(container, '[data-role="activation-layers"]', HTMLElement);
    /** @type {HTMLCanvasElement[][]} */
    this.canvases = [];
    // Off until the reader asks: the maps cost a second pass per stroke, and a page that grows
    // by dozens of canvases once the model loads would jump under the reader's eyes.
    this.toggle.checked = false;
    this.toggle.addEventListener('change', () => {
      this.panels.hidden = !this.enabled;
      this.container.dispatchEvent(new Event('toggle'));
    });
    /** @type {import('../core/activations.js').ViewedLayer[] | null} */
    this.layers = null;
  }

  get enabled() {
    return this.toggle.checked && !!this.layers;
  }

  /** @param {import('../core/activations.js').ViewedLayer[] | null} layers */
  setLayers(layers) {
    this.layers = layers;
    this.note.hidden = !!layers;
    this.note.textContent = layers ? '' : 'This model has no convolution layers: choose a CNN to see its feature maps.';
    this.panels.hidden = !this.enabled;
    this.panels.replaceChildren();
    this.canvases = (layers || []).map((layer) => {
      const panel = document.createElement('section');
      panel.className = 'dl-activation-layer';
      panel.dataset.role = 'activation-layer';
      panel.dataset.layer = layer.name;
      panel.dataset.kind = layer.className;
      const title = document.createElement('p');
      title.className = 'dl-activation-title';
      title.textContent = `${layer.name} · ${layer.className} · ${layer.shape.join('×')}`;
      panel.append(title);
      const maps = document.createElement('div');
      maps.className = 'dl-activation-maps';
      const count = layer.shape.length === 3 ? Math.min(MAX_MAPS, layer.shape[2]) : 1;
      /** @type {HTMLCanvasElement[]} */
      const list = [];
      for (let c = 0; c < count; c++) {
        const canvas = document.createElement('canvas');
        [canvas.width, canvas.height] = layer.shape.length === 3 ? [layer.shape[1], layer.shape[0]] : [layer.shape[0], 1];
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', layer.shape.length === 3 ? `${layer.name}, feature map ${c + 1}` : `${layer.name}, outputs`);
        maps.append(canvas);
        list.push(canvas);
      }
      panel.append(maps);
      this.panels.append(panel);
      return list;
    });
  }

  /** @param {Float32Array[]|null} activations one flat array per layer, channels last */
  show(activations) {
    if (!this.enabled || !activations || !this.layers) return;
    this.layers.forEach((layer, k) => {
      const channels = layer.shape.length === 3 ? layer.shape[2] : 1;
      this.canvases[k].forEach((canvas, c) => {
        const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
        const image = ctx.createImageData(canvas.width, canvas.height);
        image.data.set(featureMapColors(activations[k], channels, c));
        ctx.putImageData(image, 0, 0);
      });
    });
  }
}
