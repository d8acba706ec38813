/**
 * The lab's real restart (docs/api.md, POST /api/lab/restart): `npm start` (scripts/start.ts) supervises scripts/server.mjs and
 * starts it again when it exits with RESTART_EXIT_CODE. It tells the server it may do so through
 * SUPERVISED_ENV; without it (plain `next start`, the test harness) the lab restart stays a simulation.
 */

/** EX_TEMPFAIL from sysexits.h: "try again later" — here, "start me again". */
export const RESTART_EXIT_CODE = 75;

/** Set to "1" by the supervisor for its child. */
export const SUPERVISED_ENV = "AUTHLAB_SUPERVISED";
