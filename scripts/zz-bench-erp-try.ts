import { erpPhase, printErp } from './bench-erp';
import { measure } from './bench-measure';
import { startDevWorker } from './bench-worker';

const worker = await startDevWorker({
  stateDir: '.bench/state-50000',
  port: 8812,
  vars: { ENABLE_BENCH_ROUTES: 'true', JWT_SECRET: 'bench-only-secret-bench-only-secret-0000' },
});
try {
  await fetch(`${worker.base}/_bench/kv/page`, { method: 'PUT', body: new Uint8Array(43918).map((_, i) => 32 + (i % 90)) });
  const noop = await measure(worker.base, { name: 'noop', paths: ['/_bench/noop'] }, 5, 20);
  const floor = await measure(worker.base, { name: 'floor', paths: ['/_bench/kv/page'] }, 5, 20);
  console.log({ noopP50: noop.p50Ms, floorP50: floor.p50Ms });
  const figures = await erpPhase(worker, '.bench/state-50000', floor);
  printErp(figures);
  console.log(JSON.stringify(figures));
} catch (e) {
  console.log('FAILED', e, (e as Error).cause);
  console.log(worker.output());
} finally {
  await worker.stop();
}
