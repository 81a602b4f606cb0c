/**
 * Which quantile sketch a kept series gets, from what its variable is: 0-1 series a linear histogram, the stage
 * (an integer 0-6) one bin per stage, money a logarithmic histogram, anything else a t-digest.
 */
import { TDigest } from './digest.js';
import { HistogramSketch } from './histogram.js';

export interface Sketch {
  add(x: number): void;
  mean(): number;
  quantile(q: number): number;
}

const UNIT = /^(cooperation\.|agreement\.)|^(trust|border|security|water_stress|support|openness|integration_index|negative_integration|positive_integration|institutions)$/;

/** A factory of sketches for a variable. */
export function sketchFor(variable: string): () => Sketch {
  if (UNIT.test(variable)) return () => new HistogramSketch(0, 1, 4096);
  if (variable === 'balassa_stage') return () => new HistogramSketch(-0.5, 6.5, 7, 'discrete');
  if (variable.endsWith('_usd')) return () => new HistogramSketch(1e3, 1e15, 8192, 'log');
  return () => new TDigest();
}
