import { TextEmbedder } from '../../../src/ml/text';
import { cosine, MODEL_DIR } from './helpers';

/** [anchor, paraphrase, unrelated] */
const CASES: [string, string, string][] = [
  ['A man is eating food.', 'A man is eating a piece of bread.', 'The stock market fell sharply on Monday.'],
  [
    'Wireless noise-cancelling headphones with long battery life',
    'Bluetooth over-ear headphones that block outside noise, 30 hours per charge',
    'Organic cotton bed sheets, queen size',
  ],
  [
    'Stainless steel chef knife for the kitchen',
    'Sharp steel kitchen knife for cooking',
    'Waterproof hiking boots for mountain trails',
  ],
  [
    'Running shoes for women, lightweight and breathable',
    "Light, airy women's sneakers for jogging",
    'Cast iron skillet, pre-seasoned, 12 inch',
  ],
  ['How do I reset my password?', 'I forgot my password and need to change it', 'Free shipping on orders over $50'],
];

describe('TextEmbedder semantics', () => {
  let embedder: TextEmbedder;
  beforeAll(async () => {
    embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null });
  });
  afterAll(() => embedder.close());

  it('returns 384-d unit vectors', async () => {
    const [v] = await embedder.embedMany(['Leather wallet with RFID blocking']);
    expect(v).toBeInstanceOf(Float32Array);
    expect(v).toHaveLength(384);
    expect(cosine(v, v)).toBeCloseTo(1, 5);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
  });

  it.each(CASES)('ranks a paraphrase of "%s" above an unrelated text', async (anchor, paraphrase, unrelated) => {
    const [a, p, u] = await embedder.embedMany([anchor, paraphrase, unrelated]);
    const close = cosine(a, p);
    const far = cosine(a, u);
    expect(close).toBeGreaterThan(far + 0.2);
    expect(close).toBeGreaterThan(0.5);
    expect(far).toBeLessThan(0.35);
  });

  it('finds the matching product for a search query', async () => {
    const products = [
      'Espresso machine with milk frother, 15 bar pump',
      'Yoga mat, non-slip, 6 mm thick',
      "Children's picture book about dinosaurs",
      'USB-C laptop charger, 65 W',
    ];
    const [query, ...vecs] = await embedder.embedMany(['coffee maker for cappuccino', ...products]);
    const scores = vecs.map((v) => cosine(query, v));
    expect(scores.indexOf(Math.max(...scores))).toBe(0);
  });
});
