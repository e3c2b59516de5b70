/**
 * The embedded model: a GGUF file run by node-llama-cpp's prebuilt CPU binary, in a worker thread,
 * loaded once per process on first use. node-llama-cpp is an ES module and this code base compiles
 * to CommonJS (and jest runs suites in vm contexts without dynamic import), so the worker, a plain
 * Node thread, imports it. One context sequence: requests are serialised by the caller's queue.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Completion, CompletionRequest, LanguageModel } from './language-model';
import { ModelUnavailableError } from './language-model';

export interface EmbeddedModelOptions {
  modelPath: string;
  /** llama.cpp threads; they spin at barriers, so more threads than free cores is far slower. */
  threads: number;
  contextSize: number;
}

/**
 * The worker's whole program, as source (a string, so TypeScript does not turn its `import()` into
 * `require()`). It renders the chat with the model's own template, evaluates token by token with
 * each token's probability, and applies the grammar through llama.cpp's sampler.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
let ready;
async function load() {
  const L = await import(pathToFileURL(workerData.modulePath).href);
  const llama = await L.getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false, logLevel: 'error' });
  const model = await llama.loadModel({ modelPath: workerData.modelPath });
  const context = await model.createContext({ contextSize: workerData.contextSize, threads: workerData.threads, sequences: 1 });
  const sequence = context.getSequence();
  const wrapper = L.resolveChatWrapper(model);
  const grammars = new Map();
  const grammarFor = async (text) => {
    let g = grammars.get(text);
    if (!g) {
      g = await llama.createGrammar({ grammar: text });
      if (grammars.size >= 64) grammars.delete(grammars.keys().next().value);
      grammars.set(text, g);
    }
    return g;
  };
  return { L, model, sequence, wrapper, grammarFor };
}
ready = load();
ready.then(() => parentPort.postMessage({ ready: true }), (err) => parentPort.postMessage({ ready: false, error: String((err && err.stack) || err) }));
let chain = Promise.resolve();
parentPort.on('message', (m) => {
  chain = chain.then(() => run(m));
});
async function run(m) {
  const started = Date.now();
  try {
    const { L, model, sequence, wrapper, grammarFor } = await ready;
    const chatHistory = [{ type: 'system', text: m.system }, { type: 'user', text: m.user }, { type: 'model', response: [] }];
    const tokens = wrapper.generateContextState({ chatHistory }).contextText.tokenize(model.tokenizer);
    await sequence.clearHistory();
    const grammarEvaluationState = m.grammar ? new L.LlamaGrammarEvaluationState({ model, grammar: await grammarFor(m.grammar) }) : undefined;
    const out = [];
    let logProb = 0;
    let stop = 'end';
    for await (const o of sequence.evaluateWithMetadata(tokens, { confidence: true }, { temperature: m.temperature, seed: m.seed, grammarEvaluationState })) {
      out.push(o.token);
      logProb += Math.log(Math.max(o.confidence, 1e-12));
      if (out.length >= m.maxTokens) { stop = 'maxTokens'; break; }
      if (Date.now() > m.deadline) { stop = 'deadline'; break; }
    }
    parentPort.postMessage({ id: m.id, text: model.detokenize(out), tokens: out.length, meanLogProb: out.length ? logProb / out.length : null, ms: Date.now() - started, stop });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.stack) || err) });
  }
}
`;

interface WorkerReply {
  ready?: boolean;
  id?: number;
  error?: string;
  text?: string;
  tokens?: number;
  meanLogProb?: number | null;
  ms?: number;
  stop?: Completion['stop'];
}

export class EmbeddedModel implements LanguageModel {
  readonly name: string;
  readonly supportsGrammar = true;
  private worker: Worker | null = null;
  private loaded: Promise<void> | null = null;
  private readonly pending = new Map<number, { resolve: (c: Completion) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(private readonly options: EmbeddedModelOptions) {
    this.name = path.basename(options.modelPath);
  }

  /** Loads the model (once); rejects with a message naming the file and node-llama-cpp's error. */
  load(): Promise<void> {
    this.loaded ??= new Promise<void>((resolve, reject) => {
      let modulePath: string;
      try {
        modulePath = require.resolve('node-llama-cpp');
      } catch (err) {
        reject(new ModelUnavailableError(`node-llama-cpp is not installed (${(err as Error).message}); run scripts/install.sh`));
        return;
      }
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...this.options, modulePath } });
      this.worker = worker;
      worker.unref();
      worker.on('message', (m: WorkerReply) => {
        if (m.ready !== undefined) {
          if (m.ready) resolve();
          else reject(new ModelUnavailableError(`the embedded model ${this.options.modelPath} did not load: ${m.error ?? 'unknown error'}`));
          return;
        }
        const p = this.pending.get(m.id as number);
        if (!p) return;
        this.pending.delete(m.id as number);
        if (this.pending.size === 0) worker.unref();
        if (m.error !== undefined) p.reject(new ModelUnavailableError(`embedded model: ${m.error}`));
        else p.resolve({ text: m.text ?? '', tokens: m.tokens ?? 0, meanLogProb: m.meanLogProb ?? null, ms: m.ms ?? 0, stop: m.stop ?? 'end' });
      });
      const fail = (err: Error) => {
        reject(new ModelUnavailableError(`the embedded model worker failed: ${err.message}`));
        for (const p of this.pending.values()) p.reject(new ModelUnavailableError(`the embedded model worker failed: ${err.message}`));
        this.pending.clear();
        this.worker = null;
        this.loaded = null;
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    });
    return this.loaded;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    await this.load();
    const worker = this.worker;
    if (!worker) throw new ModelUnavailableError('the embedded model worker is not running');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...request });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    await this.loaded?.catch(() => undefined);
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}
