// Preloaded into the services by `npm run bench -- --profile DIR` (through
// NODE_OPTIONS=--import, since Node 20 refuses --cpu-prof there): profiles the
// whole process with the inspector and writes DIR/<pid>.cpuprofile on exit.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // An in-process inspector session answers synchronously, so this completes before exit.
    session.post('Profiler.stop', (error, result) => {
      if (!error)
        writeFileSync(
          path.join(dir, `${process.argv[1]?.split('/').at(-3) ?? 'node'}-${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
    });
  });
}
