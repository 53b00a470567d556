// @ts-check
/**
 * The module Web Worker the page starts once: the engine (all of TF.js) off the main thread.
 */
import { startEngine } from '../engine/engine.js';

startEngine(self);
