import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextEmbedder } from '../../../src/ml/text';
import { WordPieceTokenizer } from '../../../src/ml/text/wordpiece-tokenizer';
import { cosine, MODEL_DIR } from './helpers';

/** See test/fixtures/embeddings/make_reference.py for how these were produced. */
interface ReferenceCase {
  text: string;
  inputIds: number[];
  float: number[];
  onnx: number[];
}
const reference = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'embeddings', 'reference.json'), 'utf8'),
) as { maxLength: number; cases: ReferenceCase[] };

/**
 * The fetched graph is the float32 ONNX export of the same weights; it measured cosine 1.00000 to the
 * numpy/PyTorch-weights reference. 0.999 allows for export/kernel rounding only: a wrong tokenizer,
 * pooling, truncation or normalisation drops far below (the int8 `-q` graph alone gives 0.990..0.995,
 * unrelated texts < 0.3).
 */
const MIN_COSINE_VS_FLOAT = 0.999;
/** Same graph, same token ids, different onnxruntime binding: only float rounding may differ. */
const MIN_COSINE_VS_SAME_GRAPH = 0.99999;

describe('TextEmbedder agrees with independent reference vectors', () => {
  let embedder: TextEmbedder;
  let vectors: Float32Array[];
  beforeAll(async () => {
    embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, maxLength: reference.maxLength });
    vectors = await embedder.embedMany(reference.cases.map((c) => c.text));
  });
  afterAll(() => embedder.close());

  it('tokenizes exactly like Hugging Face tokenizers (Rust) with the reference tokenizer.json', () => {
    const json: unknown = JSON.parse(readFileSync(join(MODEL_DIR, 'tokenizer.json'), 'utf8'));
    const tokenizer = new WordPieceTokenizer(json, reference.maxLength);
    for (const c of reference.cases) expect(tokenizer.encode(c.text).ids).toEqual(c.inputIds);
  });

  it.each(reference.cases.map((c, i) => [c.text.slice(0, 40), i] as const))(
    'matches the float32 sentence-transformers vector for "%s…"',
    (_label, i) => {
      expect(cosine(vectors[i], reference.cases[i].float)).toBeGreaterThanOrEqual(MIN_COSINE_VS_FLOAT);
    },
  );

  it.each(reference.cases.map((c, i) => [c.text.slice(0, 40), i] as const))(
    'matches Python onnxruntime on the same graph for "%s…"',
    (_label, i) => {
      expect(cosine(vectors[i], reference.cases[i].onnx)).toBeGreaterThanOrEqual(MIN_COSINE_VS_SAME_GRAPH);
    },
  );
});
