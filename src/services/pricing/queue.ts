/** Price index rebuild requests; the consumer reads the generation to build from SQL, so duplicates are harmless. */
const SEND_BATCH_LIMIT = 100;

export async function enqueueBuilds(
  queue: Queue,
  fingerprints: readonly string[],
  reason: string,
): Promise<void> {
  const unique = [...new Set(fingerprints)];
  for (let i = 0; i < unique.length; i += SEND_BATCH_LIMIT) {
    await queue.sendBatch(
      unique.slice(i, i + SEND_BATCH_LIMIT).map((fingerprint) => ({ body: { fingerprint, reason } })),
    );
  }
}
