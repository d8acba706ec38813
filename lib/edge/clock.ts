/**
 * The wall clock: the system's own time, as a client and every other verifier of our tokens read it.
 * Web APIs only, so the Edge uses it too. It has a counterpart on the server, the state clock, which
 * tests can move; lib/server/clock.ts says which rules follow which clock, and why.
 */

/** A source of the current time. Functions that default a time name the clock they default to. */
export interface Clock {
  now(): Date;
  nowMs(): number;
}

export const wallClock: Clock = {
  now: () => new Date(),
  nowMs: () => Date.now(),
};
