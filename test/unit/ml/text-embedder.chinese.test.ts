import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextEmbedder } from '../../../src/ml/text';
import { WordPieceTokenizer } from '../../../src/ml/text/wordpiece-tokenizer';
import { cosine } from './helpers';

/** Installed by `TEXT_ENCODER=bge-small-zh-v1.5 bash scripts/fetch-model.sh` (scripts/install.sh runs it). */
const ZH_MODEL_DIR = join(__dirname, '..', '..', '..', '.models', 'bge-small-zh-v1.5');

/** See test/fixtures/embeddings/make_reference_zh.py for how these were produced. */
interface ReferenceCase {
  text: string;
  inputIds: number[];
  /** Python onnxruntime on the float32 export the quantized graph came from. */
  float: number[];
  /** Python onnxruntime on the very graph the project runs. */
  onnx: number[];
}
const reference = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'embeddings', 'reference-zh.json'), 'utf8')) as {
  maxLength: number;
  pairs: [number, number][];
  cases: ReferenceCase[];
};

describe('TextEmbedder with bge-small-zh-v1.5 (Chinese)', () => {
  let embedder: TextEmbedder;
  let vectors: Float32Array[];
  beforeAll(async () => {
    embedder = await TextEmbedder.create({ encoder: 'bge-small-zh-v1.5', modelDir: ZH_MODEL_DIR, cacheDir: null, threads: 1 });
    vectors = await embedder.embedMany(reference.cases.map((c) => c.text));
  });
  afterAll(() => embedder.close());

  it('is 512-d with CLS pooling and tokenizes exactly like Hugging Face tokenizers (Rust)', () => {
    expect(embedder.dimension).toBe(512);
    expect(vectors.every((v) => v.length === 512)).toBe(true);
    const json: unknown = JSON.parse(readFileSync(join(ZH_MODEL_DIR, 'tokenizer.json'), 'utf8'));
    const tokenizer = new WordPieceTokenizer(json, reference.maxLength, embedder.spec.lowercase);
    for (const c of reference.cases) expect(tokenizer.encode(c.text).ids).toEqual(c.inputIds);
  });

  it('matches Python onnxruntime on the same graph and the float export it was quantized from', () => {
    reference.cases.forEach((c, i) => {
      // Same graph, one text per run: only float rounding differs.
      expect(cosine(vectors[i], c.onnx)).toBeGreaterThan(0.999);
      // The quantized graph against the float one measured 0.9904..0.9949 in Python on these texts.
      expect(cosine(vectors[i], c.float)).toBeGreaterThan(0.985);
    });
  });

  it('puts Chinese paraphrases closer together than unrelated sentences', () => {
    const paired = new Set(reference.pairs.flat());
    for (const [a, b] of reference.pairs) {
      const together = cosine(vectors[a], vectors[b]);
      const unrelated = [...paired].filter((c) => c !== a && c !== b).map((c) => Math.max(cosine(vectors[a], vectors[c]), cosine(vectors[b], vectors[c])));
      expect(together).toBeGreaterThan(Math.max(...unrelated) + 0.1);
    }
  });

  it('gives a text the same vector alone as in a batch (one text per ONNX run)', async () => {
    const [alone] = await embedder.embedMany([reference.cases[3].text]);
    expect(Array.from(alone)).toEqual(Array.from(vectors[3]));
  });
});
