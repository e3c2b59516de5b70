import { buildBipartite } from '../../../graph-models/data/csr';
import { SeededRandom } from '../../../graph-models/data/random';
import { buildGatGraph, stepBias } from '../../../graph-models/models/gat/graph';
import { resolveGatOptions } from '../../../graph-models/models/gat/options';

// 3 users, 4 items; pairs in userItems order: (0,0) (0,2) (1,1) (1,2) (1,3) (2,0)
const train = buildBipartite({
  numUsers: 3,
  numItems: 4,
  eventUser: Int32Array.from([0, 0, 1, 1, 1, 2]),
  eventItem: Int32Array.from([0, 2, 1, 2, 3, 0]),
  events: Int32Array.from([0, 1, 2, 3, 4, 5]),
});
const weights = new Float32Array(6).fill(1);
const gg = buildGatGraph({ train, weights, options: resolveGatOptions() });
const { indptr, indices } = gg.graph.csr;

/** Destination row of CSR position `at`. */
function dstOf(at: number): number {
  let row = 0;
  while (indptr[row + 1] <= at) row++;
  return row;
}

describe('GAT message graph', () => {
  it('maps every training pair to its two edges, user <- item and item <- user', () => {
    const pairs: Array<[number, number]> = [[0, 0], [0, 2], [1, 1], [1, 2], [1, 3], [2, 0]];
    pairs.forEach(([u, i], p) => {
      const item = gg.numUsers + i;
      expect([dstOf(gg.pairEdges[2 * p]), indices[gg.pairEdges[2 * p]]]).toEqual([u, item]);
      expect([dstOf(gg.pairEdges[2 * p + 1]), indices[gg.pairEdges[2 * p + 1]]]).toEqual([item, u]);
    });
  });

  it('removes exactly the batch pairs from a step, both directions, and leaves self loops', () => {
    const out = new Float32Array(gg.bias.length);
    stepBias({ gg, out, targets: Int32Array.from([1, 4]), dropTargets: true, dropout: 0, random: () => 1 });
    const dropped = new Set([gg.pairEdges[2], gg.pairEdges[3], gg.pairEdges[8], gg.pairEdges[9]]);
    for (let at = 0; at < out.length; at++) {
      if (dropped.has(at)) expect(Math.exp(out[at])).toBe(0);
      else expect(out[at]).toBe(gg.bias[at]);
    }
    // Self loops (first in each row) are never touched, so every softmax keeps a finite term.
    for (let v = 0; v < gg.numUsers + gg.numItems; v++) expect(indices[indptr[v]]).toBe(v);
  });

  it('drops other pairs at the DropEdge rate, reproducibly under a seed', () => {
    const many = buildBipartite({
      numUsers: 200,
      numItems: 50,
      eventUser: Int32Array.from({ length: 4000 }, (_, k) => k % 200),
      eventItem: Int32Array.from({ length: 4000 }, (_, k) => (k * 7 + Math.floor(k / 200)) % 50),
      events: Int32Array.from({ length: 4000 }, (_, k) => k),
    });
    const g = buildGatGraph({ train: many, weights: new Float32Array(many.userItems.indices.length).fill(1), options: resolveGatOptions() });
    const run = (seed: number): Float32Array => {
      const rng = new SeededRandom(seed);
      return stepBias({ gg: g, out: new Float32Array(g.bias.length), targets: new Int32Array(0), dropTargets: true, dropout: 0.2, random: () => rng.next() });
    };
    const a = run(5);
    const pairs = g.pairEdges.length / 2;
    let droppedPairs = 0;
    for (let p = 0; p < pairs; p++) {
      const first = a[g.pairEdges[2 * p]] !== g.bias[g.pairEdges[2 * p]];
      // Both directions go together.
      expect(a[g.pairEdges[2 * p + 1]] !== g.bias[g.pairEdges[2 * p + 1]]).toBe(first);
      if (first) droppedPairs++;
    }
    expect(droppedPairs / pairs).toBeGreaterThan(0.15);
    expect(droppedPairs / pairs).toBeLessThan(0.25);
    expect(Buffer.from(run(5).buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(Buffer.from(run(6).buffer).equals(Buffer.from(a.buffer))).toBe(false);
  });
});
