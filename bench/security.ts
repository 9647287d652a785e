// bench:security: rights check cost, audit append and verify speed, event fan-out with per-user filtering, API latency under a sign-in flood (issue 13).
// Each part lives in bench/security/<part>.ts and is owned by the subsystem it measures; bench/lib/parts.ts runs them in turn and prints one RESULT line.
import { runPartsBench } from './lib/parts';
import { run as audit } from './security/audit';
import { run as fanout } from './security/fanout';
import { run as flood } from './security/flood';
import { run as rights } from './security/rights';

runPartsBench({
  name: 'bench:security',
  parts: [
    ['rights', rights],
    ['audit', audit],
    ['fanout', fanout],
    ['flood', flood],
  ],
  // The RESULT keys, in the order, with their targets.
  targets: [
    ['rights_check_us_p95', '<=', 50],
    ['audit_append_us_p95', '<=', 1000],
    ['event_fanout_ms_p95', '<=', 50],
    ['verify_audit_rows_per_s', '>=', 100_000],
    ['api_ms_p95_under_login_flood', '<=', 20],
  ],
});
