// `npm audit` for production dependencies: fails on high or critical
// findings. Where the registry offers no audit endpoint (a mirror), it says
// so and passes: an unreachable audit is not a finding.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error('npm audit printed no JSON:', run.stderr);
  process.exit(1);
}
const counts = report.metadata?.vulnerabilities;
if (!counts) {
  console.warn(
    `npm audit could not reach an advisory endpoint (${report.statusCode ?? report.message ?? 'unknown'}); skipped.`,
  );
  process.exit(0);
}
console.log('npm audit (production):', JSON.stringify(counts));
process.exit(counts.high + counts.critical > 0 ? 1 : 0);
