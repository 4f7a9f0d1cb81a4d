/**
 * The price index encoding, version 2: the version every key and pointer carries, the two layouts' part
 * budgets, and what a decoded entry is assumed to cost in memory. codec.ts explains the format.
 */
export const CODEC_VERSION = 2;
export const PART_BYTES = 16_000;
export const WIDE_PART_BYTES = 40_000;

/** What a decoded entry is assumed to cost in isolate memory beyond the part's text (for the cache's bound). */
export const ENTRY_BYTES = 480;
