/**
 * Inductive use of a trained GAT, at request time and without the training graph:
 *
 * - New product: h0 = PCA(text) @ W_text (no id embedding exists yet). An isolated node with a self
 *   loop keeps h_l = h0 through every layer, so its final embedding is h0 — exactly what the
 *   trained model computes for an item without interactions.
 * - New or changed user: we run the trained layers for one extra node v whose edges go to its
 *   recent items, using the same attention vectors, edge prior (weight, degree) and self loop.
 *   Messages come from the items' stored layer representations h_l(item) of the trained graph
 *   (adding one edge to an item would change its own representation only marginally). v has no
 *   id embedding, so its h0 is estimated as the prior-weighted mean of its items' h0 — the
 *   attention-free first step; the layers then refine it and the layer mean gives final_v.
 */
import { TextBasis, projectText } from './text-basis';

export interface InductiveModel {
  dim: number;
  heads: number;
  ch: number;
  layers: number;
  slope: number;
  selfLoopWeight: number;
  degreePrior: number;
  weightPower: number;
  /** Mean pair weight of training (after weightPower), so caller weights are on the training scale. */
  pairWeightMean: number;
  textBasis?: TextBasis;
  textW: Float32Array;
  attSrc: Float32Array[];
  attDst: Float32Array[];
  /** itemLayers[l] = items' h_l, numItems x dim, for l = 0 .. layers-1. */
  itemLayers: Float32Array[];
  /** Training degree of each item node, self loop included. */
  itemDegree: Float32Array;
}

export function embedItemFromText(m: InductiveModel, text: Float32Array): Float32Array {
  const out = new Float32Array(m.dim);
  if (!m.textBasis) return out;
  if (text.length !== m.textBasis.textDim) throw new Error(`text embedding has ${text.length} dims, the model expects ${m.textBasis.textDim}`);
  const z = projectText(m.textBasis, text, 1);
  for (let k = 0; k < m.textBasis.rank; k++) {
    for (let c = 0; c < m.dim; c++) out[c] += z[k] * m.textW[k * m.dim + c];
  }
  return out;
}

function headDot(x: Float32Array, xOff: number, att: Float32Array, k: number, ch: number): number {
  let s = 0;
  for (let c = 0; c < ch; c++) s += x[xOff + k * ch + c] * att[k * ch + c];
  return s;
}

export function foldInUser(m: InductiveModel, items: ArrayLike<number>, weights?: ArrayLike<number>): Float32Array {
  const { dim, heads, ch, layers, slope } = m;
  const n = items.length;
  if (n === 0) return new Float32Array(dim);
  // Edge prior exactly as buildGatGraph: log(weight / training mean) - degreePrior * log(deg(source)).
  const prior = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const w = Math.pow(Math.max(weights ? weights[s] : 1, 1e-6), m.weightPower) / m.pairWeightMean;
    prior[s] = Math.log(Math.max(w, 1e-12)) - m.degreePrior * Math.log(m.itemDegree[items[s]] + 1);
  }
  const selfPrior = Math.log(m.selfLoopWeight) - m.degreePrior * Math.log(n + 1);

  // h0 estimate: softmax(prior) weighted mean of the items' h0.
  let h = new Float32Array(dim);
  {
    const max = Math.max(...prior);
    let sum = 0;
    const a = Array.from(prior, (p) => { const e = Math.exp(p - max); sum += e; return e; });
    for (let s = 0; s < n; s++) {
      const row = items[s] * dim;
      for (let c = 0; c < dim; c++) h[c] += (a[s] / sum) * m.itemLayers[0][row + c];
    }
  }
  const final = Float32Array.from(h);
  const logits = new Float64Array(n + 1);
  for (let l = 0; l < layers; l++) {
    const next = new Float32Array(dim);
    const src = m.itemLayers[l];
    for (let k = 0; k < heads; k++) {
      const sDst = headDot(h, 0, m.attDst[l], k, ch);
      const lrelu = (z: number): number => (z > 0 ? z : slope * z);
      for (let s = 0; s < n; s++) logits[s] = lrelu(sDst + headDot(src, items[s] * dim, m.attSrc[l], k, ch)) + prior[s];
      logits[n] = lrelu(sDst + headDot(h, 0, m.attSrc[l], k, ch)) + selfPrior;
      let max = -Infinity;
      for (let s = 0; s <= n; s++) max = Math.max(max, logits[s]);
      let sum = 0;
      for (let s = 0; s <= n; s++) { logits[s] = Math.exp(logits[s] - max); sum += logits[s]; }
      for (let s = 0; s < n; s++) {
        const a = logits[s] / sum;
        const row = items[s] * dim + k * ch;
        for (let c = 0; c < ch; c++) next[k * ch + c] += a * src[row + c];
      }
      const self = logits[n] / sum;
      for (let c = 0; c < ch; c++) next[k * ch + c] += self * h[k * ch + c];
    }
    h = next;
    for (let c = 0; c < dim; c++) final[c] += h[c];
  }
  for (let c = 0; c < dim; c++) final[c] /= layers + 1;
  return final;
}
