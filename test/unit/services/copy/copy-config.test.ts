import { ConfigError, loadConfig } from '../../../../src/config';
import { DEFAULT_BANNED_WORDS } from '../../../../src/services/copy/banned-claims';

const base = { NEO4J_URI: 'bolt://db.example:7687', NEO4J_PASSWORD: 'secret' };

describe('copy configuration', () => {
  it('uses the embedded SmolLM2 file, constrained, one thread, by default', () => {
    const copy = loadConfig(base).copy;
    expect(copy).toMatchObject({ model: 'embedded', mode: 'CONSTRAINED', endpoint: null, threads: 1, maxQueue: 8, timeoutMs: 30000, bannedWords: DEFAULT_BANNED_WORDS });
    expect(copy.modelPath).toMatch(/\.models\/smollm2\/SmolLM2-135M-Instruct\.Q4_1\.gguf$/);
  });

  it('points at a bigger GGUF by path, or at an OpenAI-compatible endpoint (free-form)', () => {
    expect(loadConfig({ ...base, COPY_MODEL_PATH: '/m/qwen.gguf', COPY_MODE: 'free' }).copy).toMatchObject({ model: 'embedded', modelPath: '/m/qwen.gguf', mode: 'FREE' });
    const endpoint = loadConfig({ ...base, COPY_ENDPOINT_URL: 'http://localhost:8080/v1', COPY_ENDPOINT_MODEL: 'qwen2.5:1.5b', COPY_BANNED_WORDS: 'cheap, best ' }).copy;
    expect(endpoint).toMatchObject({ model: 'endpoint', mode: 'FREE', endpoint: { baseUrl: 'http://localhost:8080/v1', model: 'qwen2.5:1.5b', apiKey: undefined }, bannedWords: ['cheap', 'best'] });
    expect(loadConfig({ ...base, COPY_MODEL: 'none' }).copy.model).toBe('none');
  });

  it('refuses bad values with one message naming each', () => {
    expect(() => loadConfig({ ...base, COPY_MODEL: 'endpoint' })).toThrow(ConfigError);
    let message = '';
    try {
      loadConfig({ ...base, COPY_MODE: 'wild', COPY_ENDPOINT_URL: 'not a url', COPY_THREADS: '0' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('COPY_MODE="wild": expected constrained or free');
    expect(message).toContain('COPY_ENDPOINT_URL="not a url"');
    expect(message).toContain('COPY_THREADS="0"');
  });
});
