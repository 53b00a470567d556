/**
 * Entry point: mount every [data-widget] on the page.
 *
 * Material's instant navigation swaps page content without reloading, and
 * announces each new page on its `document$` observable; widgets are mounted
 * for each one, and the ones whose element left the page are destroyed.
 */
import { ChartWidget } from './ui/chart-widget.js';
import { DigitWidget } from './ui/digit-widget.js';
import { FashionWidget } from './ui/fashion-widget.js';

const WIDGETS = { 'digit-classifier': DigitWidget, 'fashion-classifier': FashionWidget, chart: ChartWidget };
// This module is published at assets/js/main.js: the site root is two levels up.
const siteRoot = new URL('../../', import.meta.url);
const mounted = new Map();

function mountAll() {
  for (const [root, widget] of mounted) {
    if (!root.isConnected) {
      widget.destroy();
      mounted.delete(root);
    }
  }
  for (const root of document.querySelectorAll('[data-widget]')) {
    const Widget = WIDGETS[root.dataset.widget];
    if (Widget && !mounted.has(root)) mounted.set(root, new Widget(root, { siteRoot }));
  }
}

if (window.document$) window.document$.subscribe(mountAll);
else mountAll();
