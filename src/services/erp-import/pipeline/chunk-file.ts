import * as v from 'valibot';

/** One chunk of valid records as the split writes it to R2 and the apply step reads it back. */
export const ChunkFileSchema = v.object({
  format: v.picklist(['csv', 'ndjson', 'json']),
  /** the CSV delimiter, to write a rejected row back as it came */
  delimiter: v.nullable(v.string()),
  rows: v.array(v.object({ n: v.number(), r: v.record(v.string(), v.unknown()) })),
});
export type ChunkFile = v.InferOutput<typeof ChunkFileSchema>;
