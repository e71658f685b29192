import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMetricsRegistry, opsRoutes } from '@stammtisch/http';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ApiConfig } from '../services/api/src/config.js';
import { IngestConfig } from '../services/ingest/src/config.js';
import { WorkerConfig } from '../services/worker/src/config.js';

// The deployment files are code too: they must parse, give every service an
// environment its own config schema accepts, and probe the ports and paths
// the services really serve. Nothing here needs Docker or a cluster.

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const SERVICES = {
  ingest: { schema: IngestConfig, portEnv: 'INGEST_PORT', port: 8081 },
  worker: { schema: WorkerConfig, portEnv: 'WORKER_PORT', port: 8082 },
  api: { schema: ApiConfig, portEnv: 'API_PORT', port: 8080 },
} as const;
type ServiceName = keyof typeof SERVICES;
const NAMES = Object.keys(SERVICES) as ServiceName[];

/** Compose's variable syntax as `docker compose` resolves it with the given variables set. */
function interpolate(value: unknown, vars: Record<string, string>): string {
  return String(value).replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (vars[name] !== undefined) return vars[name]!;
    if (kind === '-') return rest ?? '';
    throw new Error(`compose needs ${name}: ${rest}`);
  });
}

/** `node` on a compiled file, with source maps for readable stack traces. */
const nodeOn = (file: string) => ['node', '--enable-source-maps', file];

/** Whether the workspace's `npm run build` bundles this source (to dist/<its name>.js). */
function buildsTo(workspace: string, source: string): boolean {
  const pkg = JSON.parse(read(`${workspace}/package.json`)) as { scripts?: { build?: string } };
  return (
    existsSync(path.join(ROOT, workspace, source)) &&
    (pkg.scripts?.build ?? '').includes(`scripts/build/bundle.mjs`) &&
    pkg.scripts!.build!.includes(source)
  );
}

function schemaProblems(name: ServiceName, env: Record<string, string>): string[] {
  const result = SERVICES[name].schema.safeParse(env);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<
      string,
      {
        environment?: Record<string, unknown>;
        ports?: string[];
        healthcheck?: { test: string[] };
        depends_on?: Record<string, { condition: string }>;
        command?: string[];
        restart?: string;
      }
    >;
  };
  const vars = { ADMIN_KEY: 'compose-test-admin-key-0123456789' };

  it('runs Postgres, Redis, a one-shot migration and the three services', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'migrate', ...NAMES]));
    expect(compose.services.migrate!.restart).toBe('no');
    expect(compose.services.migrate!.command).toEqual(nodeOn('packages/db/dist/migrate-cli.js'));
    expect(buildsTo('packages/db', 'src/migrate-cli.ts')).toBe(true);
  });

  it('runs the services with the image command (node on the compiled output), never tsx', () => {
    for (const name of NAMES) expect(compose.services[name]!.command, name).toBeUndefined();
    expect(JSON.stringify(compose)).not.toContain('tsx');
  });

  it('gives every service an environment its config schema accepts, on the port it publishes and probes', () => {
    for (const name of NAMES) {
      const service = compose.services[name]!;
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v, vars)]),
      );
      expect(env.SERVICE, name).toBe(name);
      expect(schemaProblems(name, env), name).toEqual([]);
      const port = env[SERVICES[name].portEnv];
      expect(port, name).toBe(String(SERVICES[name].port));
      expect(service.ports, name).toContain(`${port}:${port}`);
      expect(service.healthcheck?.test.join(' '), name).toContain(`http://127.0.0.1:${port}/readyz`);
      expect(service.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
      expect(service.depends_on?.postgres?.condition, name).toBe('service_healthy');
      expect(service.depends_on?.redis?.condition, name).toBe('service_healthy');
    }
  });

  it('gives ingest and api the same secrets where one signs or hashes what the other checks', () => {
    const envOf = (name: ServiceName) =>
      Object.fromEntries(
        Object.entries(compose.services[name]!.environment ?? {}).map(([k, v]) => [k, interpolate(v, vars)]),
      );
    for (const key of ['IP_HASH_SECRET', 'COMMENTER_TOKEN_SECRET']) {
      expect(envOf('ingest')[key], key).toBeDefined();
      expect(envOf('ingest')[key], key).toBe(envOf('api')[key]);
    }
  });

  it('keeps Redis durable and never evicting (BullMQ needs noeviction)', () => {
    const redis = compose.services.redis!;
    expect(redis.command?.join(' ')).toContain('/usr/local/etc/redis/redis.conf');
    const conf = read('infra/redis/redis.conf');
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
  });

  it('builds one Node 24 image that starts the service named by SERVICE', () => {
    const dockerfile = read('infra/docker/Dockerfile');
    // Every base image from the registry is Node 24 (FROM <stage> reuses one of them).
    const stages = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\S+))?/gim)];
    const names = new Set(stages.map((m) => m[2]?.toLowerCase()));
    const bases = stages.map((m) => m[1]!).filter((image) => !names.has(image.toLowerCase()));
    expect(bases.length).toBeGreaterThan(0);
    for (const image of bases) expect(image).toMatch(/^node:24/);
    // The build stage compiles; the image runs plain node on the compiled bundle, no tsx.
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    const cmd = /^CMD (.+)$/m.exec(dockerfile)?.[1] ?? '';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's shell expands ${SERVICE}, not JavaScript
    expect(cmd).toContain('exec node --enable-source-maps services/${SERVICE}/dist/main.js');
    expect(cmd).not.toContain('tsx');
    for (const name of NAMES) expect(buildsTo(`services/${name}`, 'src/main.ts'), name).toBe(true);
  });
});

interface K8sObject {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: parsed Kubernetes YAML, read field by field by the assertions
  spec?: Record<string, any>;
}

describe('infra/k8s (Kustomize)', () => {
  const kustomization = parse(read('infra/k8s/kustomization.yaml')) as { resources: string[] };
  const objects: K8sObject[] = kustomization.resources.flatMap((file) =>
    parseAllDocuments(read(`infra/k8s/${file}`)).map((doc) => {
      expect(doc.errors, file).toEqual([]);
      return doc.toJS() as K8sObject;
    }),
  );
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const configMap = find('ConfigMap', 'stammtisch-config')!;
  const secret = find('Secret', 'stammtisch-secrets')!;

  interface Container {
    envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
    env?: Array<{ name: string; value?: unknown }>;
  }

  function containerEnv(container: Container): Record<string, string> {
    const env: Record<string, string> = {};
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) Object.assign(env, find('ConfigMap', source.configMapRef.name)!.data);
      if (source.secretRef) Object.assign(env, find('Secret', source.secretRef.name)!.stringData);
    }
    for (const { name, value } of container.env ?? []) env[name] = String(value);
    return env;
  }

  it('has a ConfigMap and a Secret, with a hash-tagged Redis prefix for Redis Cluster', () => {
    expect(configMap).toBeDefined();
    expect(secret).toBeDefined();
    expect(configMap.data!.REDIS_PREFIX).toMatch(/^\{[^}]+\}$/);
    expect(secret.stringData!.DATABASE_URL).toBeDefined();
  });

  it('runs each service as a Deployment whose env its config schema accepts, with probes on the port it listens on and resource requests', () => {
    for (const name of NAMES) {
      const deployment = find('Deployment', `stammtisch-${name}`);
      expect(deployment, name).toBeDefined();
      const pod = deployment!.spec!.template.spec;
      const container = pod.containers[0];
      expect(container.command, name).toEqual(nodeOn(`services/${name}/dist/main.js`));
      const env = containerEnv(container);
      expect(env.SERVICE, name).toBe(name);
      expect(schemaProblems(name, env), name).toEqual([]);
      const port = Number(env[SERVICES[name].portEnv]);
      expect(port, name).toBe(SERVICES[name].port);
      const ports = container.ports as Array<{ name: string; containerPort: number }>;
      const portOf = (ref: string | number) =>
        typeof ref === 'number' ? ref : ports.find((p) => p.name === ref)?.containerPort;
      expect(portOf(container.readinessProbe.httpGet.port), name).toBe(port);
      expect(container.readinessProbe.httpGet.path, name).toBe('/readyz');
      expect(portOf(container.livenessProbe.httpGet.port), name).toBe(port);
      expect(container.livenessProbe.httpGet.path, name).toBe('/healthz');
      expect(container.resources.requests.cpu, name).toBeDefined();
      expect(container.resources.requests.memory, name).toBeDefined();
      expect(deployment!.spec!.selector.matchLabels).toEqual(deployment!.spec!.template.metadata.labels);
    }
  });

  it('gives ingest and api the same secrets where one signs or hashes what the other checks', () => {
    const envOf = (name: ServiceName) =>
      containerEnv(find('Deployment', `stammtisch-${name}`)!.spec!.template.spec.containers[0]);
    for (const key of ['IP_HASH_SECRET', 'COMMENTER_TOKEN_SECRET']) {
      expect(envOf('ingest')[key], key).toBeDefined();
      expect(envOf('ingest')[key], key).toBe(envOf('api')[key]);
    }
  });

  it('autoscales ingest, api and worker', () => {
    for (const name of NAMES) {
      const hpa = find('HorizontalPodAutoscaler', `stammtisch-${name}`);
      expect(hpa, name).toBeDefined();
      expect(hpa!.spec!.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: `stammtisch-${name}` });
      expect(hpa!.spec!.maxReplicas).toBeGreaterThan(hpa!.spec!.minReplicas);
    }
  });

  it('exposes ingest and api through Services that target the pods', () => {
    for (const name of ['ingest', 'api'] as const) {
      const service = find('Service', `stammtisch-${name}`);
      expect(service, name).toBeDefined();
      expect(service!.spec!.selector).toEqual(find('Deployment', `stammtisch-${name}`)!.spec!.template.metadata.labels);
      expect(service!.spec!.ports[0].port).toBe(SERVICES[name].port);
    }
  });

  it('migrates in a Job with the database secret', () => {
    const job = find('Job', 'stammtisch-migrate');
    expect(job).toBeDefined();
    const container = job!.spec!.template.spec.containers[0];
    expect(container.command).toEqual(nodeOn('packages/db/dist/migrate-cli.js'));
    expect(containerEnv(container).DATABASE_URL).toBeDefined();
  });

  it('builds with kubectl kustomize when kubectl is installed', () => {
    const kubectl = spawnSync('kubectl', ['kustomize', path.join(ROOT, 'infra/k8s')], { encoding: 'utf8' });
    if (kubectl.error) return; // no kubectl on this machine: the parse checks above still ran
    expect(kubectl.status, kubectl.stderr).toBe(0);
    expect(kubectl.stdout).toContain('kind: HorizontalPodAutoscaler');
  });
});

describe('the probed paths', () => {
  it('are the ones every service serves: /healthz and /readyz', async () => {
    const app = opsRoutes({ registry: createMetricsRegistry('deploy-test'), checks: [] });
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);
  });
});
