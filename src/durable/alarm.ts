/**
 * The object has one alarm for everything that waits on it (notification marks, the cart summary): each
 * asks for a time and the earliest wins; whoever the alarm finds not yet due asks again.
 */
export async function armAlarm(storage: DurableObjectStorage, at: number): Promise<void> {
  const current = await storage.getAlarm();
  if (current === null || current > at) await storage.setAlarm(at);
}
