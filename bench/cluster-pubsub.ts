// npm run bench:pubsub: change events on a Redis Cluster, plain PUBLISH vs
// sharded SPUBLISH (Redis 7), measured on a private 3-master cluster.
//
// Every api, ingest and worker process subscribes to the one change channel.
// Plain pub/sub: a subscriber may sit on any node, and every message is
// broadcast over the cluster bus to every node. Sharded pub/sub: the channel
// lives on the master that owns its slot, and every subscriber connects there.
// Prints delivered messages per second and Redis CPU per 10,000 messages.
//   npm run bench:pubsub -- --messages 20000 --subscribers 12
import { parseArgs } from 'node:util';
import { Cluster } from 'ioredis';
import { cpuSeconds, startRedisCluster } from '../test/cluster/harness.js';

const { values: args } = parseArgs({
  options: { messages: { type: 'string', default: '20000' }, subscribers: { type: 'string', default: '12' } },
});
const MESSAGES = Number(args.messages);
const SUBSCRIBERS = Number(args.subscribers);
const CHANNEL = 'stammtisch:changes';
const payload = JSON.stringify({
  type: 'thread.changed',
  siteId: 'site-00',
  threadKey: '/2026/12/ein-artikel-mit-einem-langen-namen',
});

const cluster = await startRedisCluster(3);
try {
  for (const mode of ['plain', 'sharded'] as const) {
    const subscribers = Array.from(
      { length: SUBSCRIBERS },
      () => new Cluster(cluster.nodes, { shardedSubscribers: mode === 'sharded' }),
    );
    let received = 0;
    let resolveAll: () => void = () => {};
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    const onMessage = () => {
      if (++received === MESSAGES * SUBSCRIBERS) resolveAll();
    };
    for (const sub of subscribers) {
      if (mode === 'sharded') {
        sub.on('smessage', onMessage);
        await sub.ssubscribe(CHANNEL);
      } else {
        sub.on('message', onMessage);
        await sub.subscribe(CHANNEL);
      }
    }
    const publisher = cluster.client();
    const cpuBefore = cluster.pids.map(cpuSeconds);
    const started = process.hrtime.bigint();
    for (let i = 0; i < MESSAGES; i += 500) {
      const pipeline = publisher.pipeline();
      for (let j = i; j < Math.min(i + 500, MESSAGES); j++)
        mode === 'sharded' ? pipeline.spublish(CHANNEL, payload) : pipeline.publish(CHANNEL, payload);
      await pipeline.exec();
    }
    await all;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = cluster.pids.map((pid, i) => cpuSeconds(pid) - cpuBefore[i]!);
    console.log(
      JSON.stringify({
        mode,
        messages: MESSAGES,
        subscribers: SUBSCRIBERS,
        publishedPerSecond: Math.round(MESSAGES / seconds),
        redisCpuSecondsPer10k: Math.round((cpu.reduce((a, b) => a + b, 0) / MESSAGES) * 10_000 * 100) / 100,
        redisCpuByMaster: cpu.map((c) => Math.round(c * 100) / 100),
      }),
    );
    publisher.disconnect();
    for (const sub of subscribers) sub.disconnect();
  }
} finally {
  await cluster.destroy();
}
