import type { Command } from 'commander';
import { encoderOfDim, textEncoderMatch, type TextEncoderMatch } from '../../domain/text-encoder-match';
import { TextEmbedder } from '../../ml/text';
import { EmbedTextReport, TextEmbeddingService } from '../../pipeline/embed-text';
import type { Runtime } from '../runtime';
import { progressBar, withRuntime } from '../runtime';

/** One line on what `embed-text` (or the encoding before train and evaluate) did. */
export function embedTextSummary(report: EmbedTextReport): string {
  const rate = report.encoded > 0 ? `, ${(report.encoded / report.seconds).toFixed(0)} texts/s` : '';
  const line = `embed-text: ${report.encoded} products encoded, ${report.unchanged} unchanged, ${report.seconds.toFixed(1)} s${rate}`;
  const rebuilt = report.rebuiltIndex;
  if (!rebuilt) return line;
  const { fromDim, toDim } = rebuilt;
  return (
    `${line}\nembed-text: the text index was ${fromDim}-d (${encoderOfDim(fromDim) ?? 'another encoder'}'s vectors): it and every stored ` +
    `text vector were removed, and all products encoded again by TEXT_ENCODER=${encoderOfDim(toDim) ?? toDim} (${toDim}-d)`
  );
}

/** The active version against TEXT_ENCODER: whether it can place the products this encoder's vectors describe. */
export async function activeEncoderMatch(rt: Runtime): Promise<TextEncoderMatch> {
  const active = await rt.services.activeModel.current();
  return textEncoderMatch(rt.config.models.textEncoder, active && { id: active.id, textDim: rt.services.activeModel.textDim(active) });
}

export async function embedText(rt: Runtime, force = false): Promise<void> {
  const embedder = new TextEmbedder({ encoder: rt.config.models.textEncoder, modelDir: rt.config.models.textModelDir, cacheDir: rt.config.models.textCacheDir });
  const bar = progressBar('embed-text');
  try {
    const report = await new TextEmbeddingService(rt.services.repositories.products, embedder).embedProducts({
      force,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    console.log(embedTextSummary(report));
    const match = await activeEncoderMatch(rt);
    if (match.message) console.log(`embed-text: ${match.message}`);
  } finally {
    bar.stop();
    await embedder.close();
  }
}

export function registerEmbedText(program: Command): void {
  program
    .command('embed-text')
    .description('encode product text with the transformer sentence encoder into Product.textEmbedding (changed products only)')
    .option('--force', 're-encode every product')
    .action(async (options: { force?: boolean }) => {
      await withRuntime((rt) => embedText(rt, options.force));
    });
}
