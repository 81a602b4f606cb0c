/**
 * Fitting: the calibration objective is a weighted sum of squared log residuals, so it is minimised by the
 * Levenberg-Marquardt method (Levenberg 1944; Marquardt 1963; the derivative-free form of Brown & Dennis 1971,
 * as implemented by mljs's `ml-levenberg-marquardt`), within the parameters' bounds. The search runs in
 * coordinates scaled to [0, 1] so that one finite-difference step means the same for every parameter, and it
 * starts from the scenario's own values and from `restarts` further points drawn from the seed (drawn again where
 * the model breaks down), keeping the best: LM finds a local minimum. Pure and deterministic: the same scenario and
 * seed give the same fit.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { LoadedScenario } from '../scenario/loaded.js';
import { deriveSeed, makeRng } from '../engine/rng.js';
import { isRunFailure, RunOverflow } from '../engine/overflow.js';
import { evaluate, mape, rmse, trialAt, type Evaluation } from './objective.js';
import type { CalibrationInputs } from './targets.js';

export interface Progress {
  evaluations: number;
  start: number;
  starts: number;
  best: number;
}

/** Trials of one kind counted as misses: how many, and of the first, its values (`trialAt`) and what happened. */
export interface Misses {
  evaluations: number;
  first?: { at: string; reached: string };
}

export interface FitResult {
  values: number[];
  objective: number;
  startObjective: number;
  evaluations: number;
  iterations: number;
  seeds: number[];
  best: Evaluation;
  targets: Array<{ name: string; rmse: number; mape: number; simulated: number[] }>;
  /** Trials whose runs overflowed, counted as misses. */
  overflowed: Misses;
  /** Trials whose runs the scenario's formula stopped (NaN there, or what is not a number), counted as misses. */
  formulaFailed: Misses;
  /** The values each start of the search began from: the scenario's own, then the restarts'. */
  startValues: number[][];
  /** Restarts drawn again because the model broke down (a miss) where they were drawn first. */
  redrawn: number;
}

/** The seeds of the replicates averaged in every evaluation. */
export function calibrationSeeds(seed: number, replicates: number): number[] {
  return Array.from({ length: replicates }, (_, r) => deriveSeed(seed, 'calibration', r));
}

const TINY = 1e-12;
/** Iterations of one burst of the optimiser. */
const BURST = 5;
/** Draws of a restart at most, where the model breaks down at each drawn before. */
const REDRAWS = 10;

export function fit(loaded: LoadedScenario, inputs: CalibrationInputs, seed: number, onProgress?: (p: Progress) => void): FitResult {
  const seeds = calibrationSeeds(seed, inputs.spec.replicates);
  const params = inputs.parameters;
  const toValues = (u: ArrayLike<number>) => params.map((p, k) => p.min + (p.max - p.min) * Math.min(1, Math.max(0, u[k])));

  // one data point per observation, y = w log(observed), with w chosen so that LM's sum of squares equals the
  // objective (residuals are scaled here: the package's own weights option slows its convergence badly)
  const totalWeight = inputs.targets.reduce((s, t) => s + t.weight, 0);
  const y: number[] = [];
  const weights: number[] = [];
  for (const t of inputs.targets)
    for (const v of t.observed) {
      const w = Math.sqrt(t.weight / t.observed.length / totalWeight);
      weights.push(w);
      y.push(w * Math.log(Math.max(v, TINY)));
    }
  const x = y.map((_, k) => k);

  // the scenario's own values, then restarts drawn from the seed
  const draw = makeRng(deriveSeed(seed, 'calibration-starts'));
  const drawStart = () => params.map(() => 0.05 + 0.9 * draw());
  const startPoints: number[][] = [params.map((p) => (p.start - p.min) / (p.max - p.min))];
  for (let r = 0; r < inputs.spec.restarts; r++) startPoints.push(drawStart());
  // the start (the scenario's own values, within the bounds) must run: a failure there is an error, said at them.
  // It is the first best point, so that the best point is always one that ran, and the best point keeps its
  // evaluation, which the fit returns rather than evaluating its values again
  const startTrial = toValues(startPoints[0]);
  const start = evaluate(loaded, inputs, startTrial, seeds);
  const startObjective = start.objective;
  let best = { f: startObjective, values: startTrial, evaluation: start };

  const overflowed: Misses = { evaluations: 0 }, formulaFailed: Misses = { evaluations: 0 };
  // a trial whose runs overflow, or whose formula gives no number, simulates nothing: the largest miss, TINY for every
  // observation
  const missed = y.map((_, k) => weights[k] * Math.log(TINY));
  let startIndex = 0;
  const starts = inputs.spec.restarts + 1;
  const cache = new Map<string, number[]>();
  const dataPoints = (e: Evaluation) => e.simulated.flat().map((v, k) => weights[k] * Math.log(Math.max(v, TINY)));
  // LM's first trial is the start, evaluated above: counted as a trial, not run again
  cache.set(startPoints[0].join(','), dataPoints(start));
  let evaluations = 1;
  /** LM's data points at a trial (search coordinates), each trial evaluated once. */
  const predict = (u: number[]): number[] => {
    const key = u.join(',');
    let predicted = cache.get(key);
    if (!predicted) {
      const values = toValues(u);
      evaluations++;
      try {
        const e = evaluate(loaded, inputs, values, seeds);
        predicted = dataPoints(e);
        if (e.objective < best.f) best = { f: e.objective, values, evaluation: e };
      } catch (e) {
        // Bounds wide enough to reach values where the model breaks down (it overflows, or the scenario's formula
        // gives no number there): the trial is a miss, and the search goes on where the model holds, as it does from
        // a run that simulates 0
        if (!isRunFailure(e)) throw e;
        const misses = e instanceof RunOverflow ? overflowed : formulaFailed;
        misses.evaluations++;
        misses.first ??= { at: trialAt(inputs, values), reached: e.reached };
        predicted = missed;
      }
      if (onProgress && evaluations % 5 === 0) onProgress({ evaluations, start: startIndex + 1, starts, best: best.f });
      if (cache.size > 1000) cache.clear();
      cache.set(key, predicted);
    }
    return predicted;
  };
  const model = (u: number[]) => {
    const p = predict(u);
    return (k: number) => p[k];
  };

  let iterations = 0;
  let redrawn = 0;
  const startValues: number[][] = [];
  for (startIndex = 0; startIndex < startPoints.length; startIndex++) {
    let point = startPoints[startIndex];
    // A restart drawn where the model breaks down has no slope to follow (every trial near it a miss): it is drawn
    // again, from the same stream, so a fit none of whose restarts is a miss draws and evaluates what it did before
    // (LM's first trial is its start, which this evaluates first)
    for (let again = 0; again < REDRAWS && startIndex > 0 && predict(point) === missed; again++, redrawn++) point = drawStart();
    startValues.push(toValues(point));
    // Short bursts, each from the best point so far: this implementation keeps a step that made things worse
    // (it only raises the damping), so restarting from the best point is the step rejection it lacks.
    let before = Infinity;
    let burstBest = Infinity;
    for (let used = 0; used < inputs.spec.maxIterations; used += BURST) {
      const result = levenbergMarquardt({ x, y }, model, {
        initialValues: point,
        minValues: params.map(() => 0),
        maxValues: params.map(() => 1),
        gradientDifference: 1e-3,
        centralDifference: true,
        maxIterations: BURST,
        errorTolerance: 1e-14,
        improvementThreshold: 1e-6,
      });
      iterations += result.iterations;
      burstBest = result.parameterError;
      if (!(burstBest < before * (1 - 1e-6))) break;
      before = burstBest;
      point = Array.from(result.parameterValues);
    }
  }
  const values = best.values;
  const fitted = best.evaluation;
  onProgress?.({ evaluations, start: starts, starts, best: fitted.objective });
  return {
    values,
    objective: fitted.objective,
    startObjective,
    evaluations,
    iterations,
    seeds,
    best: fitted,
    targets: inputs.targets.map((t, k) => ({
      name: t.name,
      rmse: rmse(fitted.simulated[k], t.observed),
      mape: mape(fitted.simulated[k], t.observed),
      simulated: fitted.simulated[k],
    })),
    overflowed,
    formulaFailed,
    startValues,
    redrawn,
  };
}
