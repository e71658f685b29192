import { type ChildProcess, spawn } from 'node:child_process';
import { type Server, createServer } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

// The one-machine supervisor behind `npm start`: each service is a child
// process; one that dies is started again after a backoff (250 ms, doubling
// up to 15 s, back to 250 ms once it has stayed up for 30 s) while the others
// keep serving. SIGTERM stops them all gracefully. Restarts are counted in
// its own Prometheus /metrics.

export interface ServiceSpec {
  name: string;
  args: string[];
}

export interface ServiceState {
  name: string;
  pid: number | null;
  up: boolean;
  restarts: number;
  startedAt: number | null;
}

export interface SupervisorOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** How long a child may take to stop on SIGTERM before it is killed. */
  stopTimeoutMs: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Up this long, a service counts as healthy again and its backoff starts over. */
  stableAfterMs?: number;
}

export interface Supervisor {
  states: () => ServiceState[];
  registry: Registry;
  stopAll: () => Promise<void>;
}

interface Slot {
  spec: ServiceSpec;
  child: ChildProcess | null;
  startedAt: number | null;
  restarts: number;
  attempt: number;
  timer: NodeJS.Timeout | null;
}

export function startSupervisor(specs: ServiceSpec[], options: SupervisorOptions): Supervisor {
  const firstDelay = options.firstDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 15_000;
  const stableAfter = options.stableAfterMs ?? 30_000;
  const registry = new Registry();
  registry.setDefaultLabels({ process: 'supervisor' });
  collectDefaultMetrics({ register: registry });
  const restartsTotal = new Counter({
    name: 'stammtisch_supervisor_restarts_total',
    help: 'Times the supervisor started a service again after it exited',
    labelNames: ['service'],
    registers: [registry],
  });
  const up = new Gauge({
    name: 'stammtisch_supervisor_service_up',
    help: '1 while the service process runs',
    labelNames: ['service'],
    registers: [registry],
  });
  let stopping = false;
  const slots = specs.map(
    (spec): Slot => ({ spec, child: null, startedAt: null, restarts: 0, attempt: 0, timer: null }),
  );

  function launch(slot: Slot): void {
    slot.timer = null;
    if (stopping) return;
    const { name, args } = slot.spec;
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    slot.child = child;
    slot.startedAt = Date.now();
    up.set({ service: name }, 1);
    restartsTotal.inc({ service: name }, 0); // the series exists from the start
    options.log(`${name} started (pid ${child.pid})`);
    child.on('exit', (code, signal) => {
      slot.child = null;
      up.set({ service: name }, 0);
      if (stopping) return;
      if (Date.now() - (slot.startedAt ?? 0) >= stableAfter) slot.attempt = 0;
      const delay = Math.min(firstDelay * 2 ** slot.attempt, maxDelay);
      slot.attempt++;
      slot.restarts++;
      restartsTotal.inc({ service: name });
      options.log(`${name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms (restart ${slot.restarts})`);
      slot.timer = setTimeout(() => launch(slot), delay);
    });
  }
  for (const slot of slots) launch(slot);

  return {
    registry,
    states: () =>
      slots.map((s) => ({
        name: s.spec.name,
        pid: s.child?.pid ?? null,
        up: s.child !== null,
        restarts: s.restarts,
        startedAt: s.startedAt,
      })),
    async stopAll() {
      stopping = true;
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.timer) clearTimeout(slot.timer);
          const child = slot.child;
          if (!child || child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          const killer = setTimeout(() => {
            options.log(`${slot.spec.name} did not stop in ${options.stopTimeoutMs} ms; killing it`);
            child.kill('SIGKILL');
          }, options.stopTimeoutMs);
          await exited;
          clearTimeout(killer);
        }),
      );
    },
  };
}

/** GET /metrics (Prometheus) and GET /services (JSON: each service's pid, state and restarts) on 127.0.0.1. */
export function serveSupervisorStatus(supervisor: Supervisor, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://supervisor').pathname;
    if (path === '/metrics') {
      supervisor.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': supervisor.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else if (path === '/services' || path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ services: supervisor.states() }));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found"}}');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
