import { BertTokenizer, env } from '@huggingface/transformers';

/**
 * The model's real WordPiece tokenizer (tokenizer.json from the same Maven artifact as the graph),
 * run by transformers.js. We construct the class from the parsed JSON instead of `from_pretrained`,
 * so nothing is ever resolved against a model hub; remote loading is switched off as a second guard.
 */
env.allowRemoteModels = false;

/**
 * tokenizer.json carries no special-token roles; these are the values of the model's
 * tokenizer_config.json (sentence-transformers/all-MiniLM-L6-v2; BAAI/bge-small-zh-v1.5 has the same
 * special tokens), which the Maven jars do not ship.
 */
const TOKENIZER_CONFIG = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  tokenize_chinese_chars: true,
  strip_accents: null,
  model_max_length: 512,
  unk_token: '[UNK]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  cls_token: '[CLS]',
  mask_token: '[MASK]',
} as const;

export interface Tokenized {
  /** Token ids including [CLS] ... [SEP], truncated to maxLength. */
  ids: number[];
}

export class WordPieceTokenizer {
  private readonly tokenizer: BertTokenizer;

  constructor(
    tokenizerJson: unknown,
    private readonly maxLength: number,
    lowercase = true,
  ) {
    this.tokenizer = new BertTokenizer(tokenizerJson, { ...TOKENIZER_CONFIG, do_lower_case: lowercase });
  }

  get padTokenId(): number {
    return this.tokenizer.pad_token_id;
  }

  /** Unpadded ids; padding is done per batch after sorting by length, so it stays minimal. */
  encode(text: string): Tokenized {
    const ids = this.tokenizer(text, { add_special_tokens: true, return_tensor: false }).input_ids;
    if (ids.length <= this.maxLength) return { ids };
    // Truncate like Hugging Face tokenizers / sentence-transformers: cut the word pieces, keep the
    // closing [SEP]. (transformers.js's own `truncation` cuts after [SEP] was added, dropping it.)
    return { ids: [...ids.slice(0, this.maxLength - 1), this.tokenizer.sep_token_id] };
  }
}
