import { embedTextSummary } from '../../../src/cli/commands/embed-text.command';
import { encoderOfDim, textEncoderMatch } from '../../../src/domain/text-encoder-match';

describe('textEncoderMatch', () => {
  it('matches a version trained on the configured encoder\'s width, with nothing to say', () => {
    expect(textEncoderMatch('all-minilm-l6-v2', { id: 'v1', textDim: 384 })).toMatchObject({ matches: true, problem: null, message: null, modelEncoder: 'all-minilm-l6-v2' });
  });

  it('names both encoders and both ways out when the widths differ', () => {
    const match = textEncoderMatch('bge-small-zh-v1.5', { id: 'v1', textDim: 384 });
    expect(match).toMatchObject({ configured: 'bge-small-zh-v1.5', configuredDim: 512, modelTextDim: 384, modelEncoder: 'all-minilm-l6-v2', matches: false });
    expect(match.message).toContain('model version v1 was trained on 384-d text vectors (all-minilm-l6-v2) but TEXT_ENCODER=bge-small-zh-v1.5 makes 512-d ones');
    expect(match.message).toContain('"affinity train"');
    expect(match.message).toContain('set TEXT_ENCODER back to all-minilm-l6-v2');
    expect(textEncoderMatch('all-minilm-l6-v2', { id: 'v2', textDim: 512 }).message).toContain('set TEXT_ENCODER back to bge-small-zh-v1.5');
  });

  it('has nothing to compare without a version, without text input, or with the width not recorded', () => {
    for (const version of [null, { id: 'v', textDim: 0 }, { id: 'v', textDim: null }, { id: 'v' }]) {
      expect(textEncoderMatch('all-minilm-l6-v2', version)).toMatchObject({ matches: null, message: null });
    }
  });

  it('knows each encoder by its width, and no encoder for another width', () => {
    expect(encoderOfDim(384)).toBe('all-minilm-l6-v2');
    expect(encoderOfDim(512)).toBe('bge-small-zh-v1.5');
    expect(encoderOfDim(768)).toBeNull();
  });
});

describe('embedTextSummary', () => {
  const report = { products: 10, encoded: 10, unchanged: 0, seconds: 2 };

  it('says when the other encoder\'s text vectors were dropped and everything encoded again', () => {
    const text = embedTextSummary({ ...report, rebuiltIndex: { fromDim: 384, toDim: 512 } });
    expect(text).toContain('10 products encoded');
    expect(text).toContain('the text index was 384-d (all-minilm-l6-v2\'s vectors): it and every stored text vector were removed');
    expect(text).toContain('TEXT_ENCODER=bge-small-zh-v1.5 (512-d)');
  });

  it('is one line when the index already had the encoder\'s width', () => {
    expect(embedTextSummary({ ...report, rebuiltIndex: null }).split('\n')).toHaveLength(1);
  });
});
