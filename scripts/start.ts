import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { describeRows, parseProducts, totalRows } from './cli';
import { declaredCrons, scheduledUrl, startCronScheduler } from './cron-scheduler';
import type { DemoCredentials } from './demo-data';
import { punchoutBanner } from './demo-punchout';
import { connectErpSimulator, readErpCatalog, waitForHealth } from './erp-sim-connect';
import { ERP_SIM_HOST, ERP_SIM_PORT, serveErpSimulator } from './erp-sim-server';
import { apiKeysMatch, ensureDemoPunchout, migrateLocalD1, seedLocalD1 } from './local-d1';
import { spawnWrangler } from './wrangler';

/**
 * `npm start [-- --products N]`: secrets, migrations and demo data for the local D1, the reference ERP
 * simulator, then `wrangler dev` with ERP_BASE_URL pointing at the simulator.
 */
const HOST = '127.0.0.1';
const PORT = 8787;
const BASE = `http://${HOST}:${PORT}`;
const ERP = `http://${ERP_SIM_HOST}:${ERP_SIM_PORT}`;

const { values } = parseArgs({ options: { products: { type: 'string' } } });

if (!existsSync('.dev.vars')) {
  writeFileSync(
    '.dev.vars',
    `# Local secrets for wrangler dev (git-ignored); see .dev.vars.example.\nJWT_SECRET=${randomBytes(32).toString('hex')}\n`,
  );
  console.log('Created .dev.vars with a fresh random JWT_SECRET (keep it out of git; it already is).');
}

console.log('Applying migrations to the local D1…');
migrateLocalD1();
console.log(
  'Seeding the demo data if the database is empty (20,000 products with prices and contracts take ~40 s the first time)…',
);
const seed = await seedLocalD1({ products: parseProducts(values.products) });
if (seed.seeded) {
  console.log(
    `Seeded ${totalRows(seed.rows)} rows in ${(seed.ms / 1000).toFixed(1)} s (${describeRows(seed.rows)}).`,
  );
} else {
  console.log('The local D1 already has data; kept as is (delete .wrangler/state/v3/d1 to reseed).');
  if (!apiKeysMatch(seed.credentials)) {
    console.warn(
      'Warning: the stored API keys come from another version of the demo data, so the keys below will be refused. Delete .wrangler/state/v3/d1 and run npm start again to reseed.',
    );
  }
  if (!(await ensureDemoPunchout(seed.credentials))) {
    console.warn(
      'Warning: the demo punch-out partners could not be added; the punch-out secrets below will be refused.',
    );
  }
}

function banner(credentials: DemoCredentials): string {
  const widths = [
    Math.max(...credentials.logins.map((l) => l.email.length)),
    Math.max(...credentials.logins.map((l) => l.role.length)),
  ];
  const row = (email: string, role: string, company: string) =>
    `    ${email.padEnd(widths[0] ?? 0)}  ${role.padEnd(widths[1] ?? 0)}  ${company}`;
  const rule = '─'.repeat(96);
  return [
    rule,
    '  Edge B2B commerce backend (local)',
    '',
    `    API        ${BASE}/v1`,
    `    OpenAPI    ${BASE}/openapi.json`,
    `    Docs       ${BASE}/docs`,
    `    Health     ${BASE}/health`,
    `    ERP        ${ERP}  reference ERP simulator (the Worker's ERP_BASE_URL; admin: ${ERP}/admin)`,
    '',
    '  Demo logins, password for all: demo1234',
    row('email', 'role', 'company'),
    ...credentials.logins.map((l) => row(l.email, l.role, l.company)),
    '',
    '  API keys (demo only; send as "Authorization: Bearer <key>")',
    `    ERP, platform-wide      catalog:read orders:read     ${credentials.apiKeys.erp}`,
    `    Partner, Acme Industrie catalog:read orders:write    ${credentials.apiKeys.partner}`,
    '',
    '  Try:',
    `    TOKEN=$(curl -s -X POST ${BASE}/v1/auth/login -H 'content-type: application/json' \\`,
    `      -d '{"email":"buyer@acme.example","password":"demo1234"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\\1/')`,
    `    curl -s "${BASE}/v1/catalog/products?q=hex%20bolt&limit=5" -H "authorization: Bearer $TOKEN"`,
    `    curl -s "${BASE}/v1/search?q=wood%20scerw&limit=5" -H "authorization: Bearer $TOKEN"   # typo-tolerant, facets`,
    `    curl -s -X POST ${BASE}/v1/prices -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `      -d '{"lines":[{"sku":"ABR-015299","quantity":100},{"sku":"FAS-00001","quantity":1}]}'`,
    '',
    ...punchoutBanner(BASE, credentials.punchout),
    '',
    '  The reference ERP (docs/erp.md): its clock follows real time; jump it, push deltas, switch faults:',
    `    curl -s ${ERP}/orders`,
    `    curl -s -X POST ${ERP}/admin/clock/advance -d '{"ms":172800000}'   # two days: ship, deliver, invoice`,
    `    curl -s -X POST ${ERP}/admin/push/stock -d '{"count":100}'         # 100 stock changes → imports`,
    `    curl -s -X PUT ${ERP}/admin/faults -d '{"down":true}'              # DELETE ${ERP}/admin/faults clears`,
    `  Cron Triggers fire on their schedule (${crons.join(', ')}; UTC). By hand:`,
    `    curl "${BASE}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*"`,
    '',
    '  Acme buys under a framework contract (+ a winter promotion for the construction trade group), with',
    '  one category hidden and one family visible but not orderable; Globex has ~8,000 net prices; Initech',
    '  pays GBP list prices. The first priced page of each customer comes from SQL while its price index builds;',
    '  the search index is queued for its build when the Worker is up (~10 s for 20,000 products); a search',
    '  before it lands is answered from an index compiled in the request.',
    rule,
  ].join('\n');
}

console.log('Starting the reference ERP simulator…');
let erp: Awaited<ReturnType<typeof serveErpSimulator>>;
try {
  erp = await serveErpSimulator({
    host: ERP_SIM_HOST,
    port: ERP_SIM_PORT,
    stateFile: '.wrangler/erp-sim/state.json',
    catalog: readErpCatalog(),
    realTimeEveryMs: 5000,
  });
} catch (error) {
  console.error(
    `Could not start the ERP simulator on ${ERP} (${String(error)}); is another npm start running?`,
  );
  process.exit(1);
}

const crons = await declaredCrons();
console.log(`\n${banner(seed.credentials)}\n`);

const dev = spawnWrangler(['dev', '--ip', HOST, '--port', String(PORT), '--var', `ERP_BASE_URL:${ERP}`], {
  stdio: 'inherit',
  // not CI=true here: the interactive dev session (hotkeys) is useful to a person at the terminal
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
const devAlive = () => dev.exitCode === null && dev.signalCode === null;
connectErpSimulator(erp.sim, BASE, devAlive).then(
  (key) =>
    console.log(
      `\nReference ERP simulator connected: ${ERP} sends events and pushes with the erp:write key ${key}\n`,
    ),
  (error: unknown) => {
    if (devAlive()) console.warn(`The ERP simulator could not get its API key: ${String(error)}`);
  },
);
// wrangler dev does not fire Cron Triggers: this does, at their times (recurring orders, sweeps, nightly pull)
const scheduler = startCronScheduler({ base: BASE, crons });
// the index sweeps once at start rather than at the next 5-minute mark: the catalog's search index (and any
// missing price index) is queued for its build as soon as the Worker is up, before the first search
const SWEEP_CRON = '*/5 * * * *';
if (crons.includes(SWEEP_CRON)) {
  waitForHealth(BASE, devAlive)
    .then(() => fetch(scheduledUrl(BASE, SWEEP_CRON, Date.now())))
    .catch((error: unknown) => {
      if (devAlive()) console.warn(`The first index sweep could not run: ${String(error)}`);
    });
}
// A terminal's Ctrl-C reaches wrangler directly too; forwarding covers `kill <pid>` and process managers.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    scheduler.stop();
    if (devAlive()) dev.kill(signal);
  });
}
dev.on('error', (error) => {
  console.error(`Could not start wrangler dev: ${error.message}`);
  void erp.close().finally(() => process.exit(1));
});
dev.on('exit', (code, signal) => {
  scheduler.stop();
  // the simulator's state is saved on the way out
  void erp.close().finally(() => process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
});
