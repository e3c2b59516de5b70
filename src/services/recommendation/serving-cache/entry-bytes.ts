/**
 * An estimate of the heap one serving-cache entry holds, for its memory budget: typed arrays by
 * their byteLength, plus V8's object, array and string overheads, walked generically so a field
 * added to CachedUser is counted without touching this file. Computed once when an entry is stored,
 * never per request. The overheads are V8's on 64-bit with pointer compression off (the default of
 * Node's builds): a JS object header 24 bytes + 8 per property slot, a typed array view about 100
 * bytes beside its backing store, and the LRU's per-entry bookkeeping (its Map entry and index
 * arrays) about 56 bytes.
 */
const OBJECT = 24;
const SLOT = 8;
const TYPED_ARRAY_VIEW = 100;
const STRING = 16;
const LRU_ENTRY = 56;

export function valueBytes(value: unknown): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'string':
      return STRING + value.length * 2;
    case 'number':
    case 'boolean':
      return 0; // held in the slot that refers to it (counted by the parent)
    case 'object':
      break;
    default:
      return SLOT;
  }
  if (ArrayBuffer.isView(value)) return TYPED_ARRAY_VIEW + value.byteLength;
  if (Array.isArray(value)) {
    let bytes = OBJECT + value.length * SLOT;
    for (const item of value as unknown[]) bytes += valueBytes(item);
    return bytes;
  }
  let bytes = OBJECT;
  for (const field of Object.values(value as Record<string, unknown>)) bytes += SLOT + valueBytes(field);
  return bytes;
}

/** One user held under `key`: the entry, its key string and the cache's bookkeeping for it. */
export function entryBytes(key: string, value: unknown): number {
  return LRU_ENTRY + valueBytes(key) + valueBytes(value);
}
