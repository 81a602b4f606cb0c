/**
 * The decimal year a run first reaches a Balassa stage, read from the recorded stage series (`values[offset +
 * k * stride]` at step k): the one rule that run summaries and ensemble outcomes share. NaN when never reached.
 */
export function firstYearAtStage(values: ArrayLike<number>, offset: number, stride: number, times: ArrayLike<number>, stage: number): number {
  for (let k = 0; k < times.length; k++) if (values[offset + k * stride] >= stage) return times[k];
  return Number.NaN;
}
