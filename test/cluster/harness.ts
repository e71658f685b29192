import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, isPortOpen } from '@stammtisch/testkit';
import { Cluster } from 'ioredis';
import pg from 'pg';

// Real servers for the scale-out test, started and removed by it: a Redis
// Cluster of three masters and a Postgres primary with a streaming replica
// made by pg_basebackup. Nothing here touches the machine's shared servers.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A free port whose neighbour +1 is free too is not needed: the cluster bus gets its own free port (cluster-port). */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

export interface RedisClusterServers {
  nodes: { host: string; port: number }[];
  /** "127.0.0.1:p1,127.0.0.1:p2,…" for REDIS_CLUSTER_NODES. */
  nodesEnv: string;
  /** A Cluster client for the test's own look-ups. */
  client: () => Cluster;
  /** Which master (by port) serves a key. */
  masterOf: (key: string) => Promise<number>;
  /** used_memory of every master, summed. */
  usedMemory: () => Promise<number>;
  /** The redis-server processes (for CPU figures). */
  pids: number[];
  destroy: () => Promise<void>;
}

/** Three `redis-server --cluster-enabled yes` on free ports, joined by `redis-cli --cluster create`. */
export async function startRedisCluster(masters = 3): Promise<RedisClusterServers> {
  const dir = mkdtempSync(path.join(tmpdir(), 'stammtisch-cluster-'));
  const ports = await freePorts(masters * 2);
  const children: ChildProcess[] = [];
  const nodes = ports.slice(0, masters).map((port) => ({ host: '127.0.0.1', port }));
  for (const [i, node] of nodes.entries()) {
    const nodeDir = path.join(dir, String(node.port));
    mkdirSync(nodeDir);
    // Durable like infra/redis/redis.conf (AOF, everysec) and never evicting a queued job.
    const args = [
      '--port',
      String(node.port),
      '--cluster-port',
      String(ports[masters + i]),
      '--bind',
      '127.0.0.1',
      '--dir',
      nodeDir,
    ];
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000');
    args.push(
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--logfile',
      path.join(nodeDir, 'log'),
    );
    children.push(spawn('redis-server', args, { stdio: 'ignore' }));
  }
  for (const node of nodes) await waitFor(() => isPortOpen(node.host, node.port), `redis ${node.port} to listen`);
  const create = spawnSync(
    'redis-cli',
    ['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-yes'],
    { encoding: 'utf8' },
  );
  if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
  const info = (port: number) =>
    spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout;
  for (const node of nodes)
    await waitFor(async () => info(node.port).includes('cluster_state:ok'), `cluster state ok on ${node.port}`);

  const admin = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 3 } });
  return {
    nodes,
    nodesEnv: nodes.map((n) => `${n.host}:${n.port}`).join(','),
    client: () => new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 3 } }),
    pids: children.map((child) => child.pid!),
    async masterOf(key) {
      const slot = Number(await admin.cluster('KEYSLOT', key));
      const ranges = await admin.cluster('SLOTS');
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!owner) throw new Error(`no master owns slot ${slot}`);
      return owner[2]![1];
    },
    async usedMemory() {
      const masters = admin.nodes('master');
      const values = await Promise.all(
        masters.map(async (node) => Number((await node.info('memory')).match(/used_memory:(\d+)/)?.[1] ?? 0)),
      );
      return values.reduce((a, b) => a + b, 0);
    },
    async destroy() {
      admin.disconnect();
      await Promise.all(
        children.map(
          (child) =>
            new Promise((resolve) => {
              if (child.exitCode !== null) return resolve(undefined);
              child.once('exit', resolve);
              child.kill('SIGKILL');
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PostgresPair {
  primaryUrl: string;
  replicaUrl: string;
  /** Resolves once the replica has replayed everything the primary had written when it was called. */
  replicaCaughtUp: (timeoutMs?: number) => Promise<number>;
  destroy: () => Promise<void>;
}

/**
 * A private primary (initdb, wal_level=replica, a replication line in
 * pg_hba.conf) and a hot standby cloned from it with `pg_basebackup -R`,
 * streaming. Postgres refuses to run as root, so as root both run as `postgres`.
 */
export async function startPostgresWithReplica(database = 'stammtisch'): Promise<PostgresPair> {
  const found = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], {
    encoding: 'utf8',
  }).stdout.trim();
  if (!found) throw new Error('Postgres binaries not found under /usr/lib/postgresql/*/bin');
  const bin = (name: string) => path.join(found, name);
  const dir = mkdtempSync(path.join(tmpdir(), 'stammtisch-pgpair-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  };
  const primaryData = path.join(dir, 'primary');
  const replicaData = path.join(dir, 'replica');
  const [primaryPort, replicaPort] = await freePorts(2);
  const common = `-c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=200 -c shared_buffers=64MB`;
  const pgCtl = (data: string, port: number, extra: string, action: string) =>
    run(bin('pg_ctl'), [
      '-D',
      data,
      '-o',
      `-p ${port} ${common} ${extra}`,
      '-l',
      path.join(dir, `${path.basename(data)}.log`),
      '-w',
      '-t',
      '60',
      action,
    ]);

  run(bin('initdb'), ['-D', primaryData, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // The standby connects as a replication client over TCP; initdb's defaults vary by version, so say it.
  run('sh', ['-c', `echo 'host replication postgres 127.0.0.1/32 trust' >> ${primaryData}/pg_hba.conf`]);
  pgCtl(primaryData, primaryPort!, '-c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=256MB', 'start');
  const primaryAdmin = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
  await withClient(primaryAdmin, (c) => c.query(`create database ${database}`));

  run(bin('pg_basebackup'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    'postgres',
    '-D',
    replicaData,
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
  ]);
  pgCtl(replicaData, replicaPort!, '-c hot_standby=on -c hot_standby_feedback=on', 'start');
  const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/${database}`;
  const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/${database}`;
  await waitFor(
    async () => (await withClient(replicaUrl, (c) => c.query('select pg_is_in_recovery() as r'))).rows[0].r === true,
    'replica in recovery',
  );

  return {
    primaryUrl,
    replicaUrl,
    async replicaCaughtUp(timeoutMs = 60_000) {
      const started = Date.now();
      const target = (await withClient(primaryUrl, (c) => c.query('select pg_current_wal_lsn()::text as lsn'))).rows[0]
        .lsn as string;
      await waitFor(
        async () =>
          (
            await withClient(replicaUrl, (c) =>
              c.query('select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [target]),
            )
          ).rows[0].ok === true,
        'replica to replay the primary',
        timeoutMs,
      );
      return Date.now() - started;
    },
    async destroy() {
      for (const [data, port] of [
        [replicaData, replicaPort],
        [primaryData, primaryPort],
      ] as const) {
        try {
          run(bin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
          await waitFor(async () => !(await isPortOpen('127.0.0.1', port!)), 'postgres to stop');
        } catch {
          // already stopped
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** User + system CPU seconds a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Appends the run's figures to test-artifacts/cluster.ndjson and prints them (the README's numbers come from here). */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ name, ...figures, at: new Date().toISOString() });
  console.log(`[cluster] ${line}`);
  try {
    mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    appendFileSync(path.join(ROOT, 'test-artifacts', 'cluster.ndjson'), `${line}\n`);
  } catch {
    // the log line is enough
  }
}
