/**
 * Streaming quantiles with bounded memory: the merging t-digest of Dunning & Ertl (2019, "Computing extremely
 * accurate quantiles using t-digests"), with the k1 (arcsine) scale function. Values are buffered and merged
 * into centroids in sorted order, so the result depends only on the sequence of values added: the runner adds
 * them in run-id order, which makes quantiles identical whatever the worker count, shards or resumes. While the
 * sample is small every value keeps its own centroid and quantiles are exact (Hazen's definition, p = (k - 0.5)/n).
 */
/** Scratch for merging, shared by all digests of a thread (a flush never runs inside another). */
let merged = { means: new Float64Array(0), weights: new Float64Array(0) };

export class TDigest {
  private readonly compression: number;
  private means: Float64Array;
  private weights: Float64Array;
  private size = 0;
  private readonly buffer: Float64Array;
  private buffered = 0;
  private total = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;

  constructor(compression = 100, bufferSize = 1024) {
    this.compression = compression;
    const capacity = Math.ceil(compression * 2) + 10;
    this.means = new Float64Array(capacity);
    this.weights = new Float64Array(capacity);
    if (merged.means.length < capacity + bufferSize) merged = { means: new Float64Array(capacity + bufferSize), weights: new Float64Array(capacity + bufferSize) };
    this.buffer = new Float64Array(bufferSize);
  }

  add(x: number): void {
    if (Number.isNaN(x)) return;
    this.buffer[this.buffered++] = x;
    this.sum += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (this.buffered === this.buffer.length) this.flush();
  }

  get count(): number {
    return this.total + this.buffered;
  }

  mean(): number {
    const n = this.count;
    return n ? this.sum / n : Number.NaN;
  }

  /**
   * The largest quantile the centroid that starts at quantile q may reach: k1(q) + 1 mapped back, with
   * k1(q) = compression / (2 pi) * asin(2q - 1), so centroids near the tails stay small and extreme quantiles
   * stay accurate. One sine and one arcsine per centroid, not per value.
   */
  private limit(q: number): number {
    const k = (this.compression / (2 * Math.PI)) * Math.asin(2 * Math.min(1, Math.max(0, q)) - 1) + 1;
    return k >= this.compression / 4 ? 1 : (Math.sin((2 * Math.PI * k) / this.compression) + 1) / 2;
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const incoming = this.buffer.subarray(0, this.buffered).sort();
    // merge the sorted buffer with the sorted centroids
    const m = merged.means, w = merged.weights;
    let i = 0, j = 0, n = 0;
    while (i < this.size || j < incoming.length) {
      if (j >= incoming.length || (i < this.size && this.means[i] <= incoming[j])) {
        m[n] = this.means[i];
        w[n++] = this.weights[i++];
      } else {
        m[n] = incoming[j++];
        w[n++] = 1;
      }
    }
    const total = this.total + this.buffered;
    let out = 0;
    let cumulative = 0;
    let curMean = m[0], curWeight = w[0];
    let qLimit = this.limit(0) * total;
    for (let k = 1; k < n; k++) {
      const proposed = curWeight + w[k];
      if (cumulative + proposed <= qLimit) {
        curMean += ((m[k] - curMean) * w[k]) / proposed;
        curWeight = proposed;
      } else {
        this.means[out] = curMean;
        this.weights[out++] = curWeight;
        cumulative += curWeight;
        qLimit = this.limit(cumulative / total) * total;
        curMean = m[k];
        curWeight = w[k];
      }
    }
    this.means[out] = curMean;
    this.weights[out++] = curWeight;
    this.size = out;
    this.total = total;
    this.buffered = 0;
  }

  /** The q-quantile (0-1), interpolating between centroid centres and the observed extremes. */
  quantile(q: number): number {
    this.flush();
    const n = this.size;
    if (n === 0) return Number.NaN;
    if (n === 1) return this.means[0];
    const position = q * this.total;
    let cumulative = 0;
    let previousCentre = 0, previousMean = this.min;
    for (let k = 0; k < n; k++) {
      const centre = cumulative + this.weights[k] / 2;
      if (position < centre) {
        if (k === 0) return position <= 0 ? this.min : this.weights[0] === 1 ? this.means[0] : this.min + ((this.means[0] - this.min) * position) / centre;
        return previousMean + ((this.means[k] - previousMean) * (position - previousCentre)) / (centre - previousCentre);
      }
      previousCentre = centre;
      previousMean = this.means[k];
      cumulative += this.weights[k];
    }
    const last = n - 1;
    if (this.weights[last] === 1) return this.means[last];
    return previousMean + ((this.max - previousMean) * (position - previousCentre)) / (this.total - previousCentre);
  }
}
