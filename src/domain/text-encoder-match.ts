/**
 * Whether the active model version takes the configured text encoder's vectors. The GAT places a
 * product it has not seen by projecting the product's text vector into its space
 * (embedItemFromText), which only means something for vectors of the encoder it was trained on.
 * Our encoders differ in width (TEXT_ENCODERS), so the width names the encoder. One home for the
 * verdict and its wording: product writes (ProductDiscoveryService), /readyz, doctor, embed-text
 * and train all say the same.
 */
import { TEXT_ENCODER_NAMES, TEXT_ENCODERS, type TextEncoderName } from '../ml/text/encoders';

export interface TextEncoderMatch {
  /** TEXT_ENCODER, and the width of its vectors. */
  configured: TextEncoderName;
  configuredDim: number;
  /** The active version, or null when none is. */
  modelVersion: string | null;
  /** Width of the text vectors the version was trained on (0: no text input; null: not recorded). */
  modelTextDim: number | null;
  /** The encoder that makes vectors of that width, when one does. */
  modelEncoder: TextEncoderName | null;
  /** False when the widths differ; null when there is nothing to compare. */
  matches: boolean | null;
  /** What goes wrong, when they differ (no remedy: callers add the one that fits them). */
  problem: string | null;
  /** The problem and what to do about it, when they differ. */
  message: string | null;
}

export function encoderOfDim(dim: number): TextEncoderName | null {
  return TEXT_ENCODER_NAMES.find((name) => TEXT_ENCODERS[name].dim === dim) ?? null;
}

export function textEncoderMatch(configured: TextEncoderName, version: { id: string; textDim?: number | null } | null): TextEncoderMatch {
  const configuredDim = TEXT_ENCODERS[configured].dim;
  const modelTextDim = version?.textDim ?? null;
  const modelEncoder = modelTextDim ? encoderOfDim(modelTextDim) : null;
  const matches = !version || !modelTextDim ? null : modelTextDim === configuredDim;
  if (matches !== false || !version || modelTextDim === null) {
    return { configured, configuredDim, modelVersion: version?.id ?? null, modelTextDim, modelEncoder, matches, problem: null, message: null };
  }
  const trainedOn = `${modelTextDim}-d text vectors${modelEncoder ? ` (${modelEncoder})` : ''}`;
  const problem =
    `model version ${version.id} was trained on ${trainedOn} but TEXT_ENCODER=${configured} makes ${configuredDim}-d ones: ` +
    "products written now are stored with their new text vectors but get no vector in the model's space, so recommendations leave them out";
  const back = modelEncoder ? ` or set TEXT_ENCODER back to ${modelEncoder}` : '';
  const message = `${problem}. Retrain with the new encoder ("affinity train" re-encodes every product and publishes a model that places them)${back}.`;
  return { configured, configuredDim, modelVersion: version.id, modelTextDim, modelEncoder, matches, problem, message };
}
