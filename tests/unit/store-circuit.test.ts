/**
 * The session store's circuit: after the store is found unreachable, operations are refused at once
 * (without asking the store) until a background ping finds it back; no user's request is the probe.
 */
import { describe, expect, it } from "vitest";
import { RETRY_AFTER_MS, StoreCircuit, StoreUnreachable } from "@/lib/server/auth/session/store-circuit";

const down = new Error("connect ECONNREFUSED");
const unreachable = (error: unknown) => error === down;

/** `timers: false` leaves the circuit's own timer out, to see what requests alone do. */
function circuitWithClock({ timers: withTimers = true } = {}) {
  let now = 1_000_000;
  const timers: { at: number; probe: () => void }[] = [];
  const circuit = new StoreCircuit(
    RETRY_AFTER_MS,
    () => now,
    (probe, ms) => {
      if (withTimers) timers.push({ at: now + ms, probe });
    },
  );
  return {
    circuit,
    /** Moves the clock on and runs the timers that fall due meanwhile. */
    advance: (ms: number) => {
      now += ms;
      for (const due of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(due), 1);
        due.probe();
      }
    },
    pendingTimers: () => timers.length,
  };
}

describe("the store circuit", () => {
  const answers = async () => true;
  const silent = async () => false;

  it("passes operations through while the store answers, without pinging it", async () => {
    const { circuit } = circuitWithClock();
    let pings = 0;
    expect(
      await circuit.run(
        async () => "ok",
        unreachable,
        async () => (++pings, true),
      ),
    ).toBe("ok");
    expect(circuit.state).toBe("closed");
    expect(pings).toBe(0);
  });

  it("opens on an unreachable store, then refuses at once without calling the store", async () => {
    const { circuit } = circuitWithClock();
    await expect(circuit.run(() => Promise.reject(down), unreachable, answers)).rejects.toBe(down);
    expect(circuit.state).toBe("open");
    let called = 0;
    await expect(circuit.run(async () => ++called, unreachable, answers)).rejects.toBeInstanceOf(StoreUnreachable);
    expect(called).toBe(0);
    expect(circuit.state).toBe("open");
  });

  it("a refusal that is the store answering (not an outage) does not open it", async () => {
    const { circuit } = circuitWithClock();
    const answered = new Error("not found");
    await expect(circuit.run(() => Promise.reject(answered), unreachable, answers)).rejects.toBe(answered);
    expect(circuit.state).toBe("closed");
  });

  it("after the interval a request is still refused at once while one ping goes out in the background", async () => {
    const { circuit, advance } = circuitWithClock({ timers: false });
    await expect(circuit.run(() => Promise.reject(down), unreachable, answers)).rejects.toBe(down);
    advance(RETRY_AFTER_MS);
    let pings = 0;
    let answer!: (answered: boolean) => void;
    const ping = () => (++pings, new Promise<boolean>((resolve) => (answer = resolve)));
    let called = 0;
    // The request that finds the ping due does not wait for it: the store may still be dead.
    await expect(circuit.run(async () => ++called, unreachable, ping)).rejects.toBeInstanceOf(StoreUnreachable);
    expect(circuit.state).toBe("half-open");
    await expect(circuit.run(async () => ++called, unreachable, ping)).rejects.toBeInstanceOf(StoreUnreachable);
    expect(() => circuit.refuseIfOpen(ping)).toThrow(StoreUnreachable);
    expect(pings).toBe(1);
    expect(called).toBe(0);
    answer(true);
    await circuit.probed();
    expect(circuit.state).toBe("closed");
    expect(await circuit.run(async () => "flows", unreachable, ping)).toBe("flows");
  });

  it("a ping that finds the store still down keeps it open for another interval", async () => {
    const { circuit, advance } = circuitWithClock({ timers: false });
    await expect(circuit.run(() => Promise.reject(down), unreachable, silent)).rejects.toBe(down);
    advance(RETRY_AFTER_MS);
    let pings = 0;
    const ping = async () => (++pings, false);
    expect(() => circuit.refuseIfOpen(ping)).toThrow(StoreUnreachable);
    await circuit.probed();
    expect(circuit.state).toBe("open");
    advance(RETRY_AFTER_MS - 1);
    expect(() => circuit.refuseIfOpen(ping)).toThrow(StoreUnreachable);
    expect(pings).toBe(1);
    advance(1);
    expect(() => circuit.refuseIfOpen(answers)).toThrow(StoreUnreachable);
    await circuit.probed();
    expect(circuit.state).toBe("closed");
  });

  it("a ping that throws counts as the store not answering", async () => {
    const { circuit, advance } = circuitWithClock();
    circuit.record(false);
    advance(RETRY_AFTER_MS);
    expect(() => circuit.refuseIfOpen(() => Promise.reject(down))).toThrow(StoreUnreachable);
    await circuit.probed();
    expect(circuit.state).toBe("open");
  });

  it("refuseIfOpen lets everything through while closed", () => {
    const { circuit } = circuitWithClock();
    expect(() => circuit.refuseIfOpen(silent)).not.toThrow();
  });
});

describe("the circuit's timer", () => {
  it("pings the store every interval while open, with no request at all, and closes once it answers", async () => {
    const { circuit, advance, pendingTimers } = circuitWithClock();
    let storeUp = false;
    let pings = 0;
    const ping = async () => (++pings, storeUp);
    await expect(circuit.run(() => Promise.reject(down), unreachable, ping)).rejects.toBe(down);
    expect(pendingTimers()).toBe(1);
    advance(RETRY_AFTER_MS);
    await circuit.probed();
    expect(pings).toBe(1);
    expect(circuit.state).toBe("open");
    storeUp = true;
    advance(RETRY_AFTER_MS);
    await circuit.probed();
    expect(pings).toBe(2);
    expect(circuit.state).toBe("closed");
    // Closed: no timer left behind, no ping while the store answers.
    expect(pendingTimers()).toBe(0);
    advance(RETRY_AFTER_MS * 10);
    expect(pings).toBe(2);
  });

  it("never has more than one timer or one ping out, however many requests are refused", async () => {
    const { circuit, advance, pendingTimers } = circuitWithClock();
    let answer!: (answered: boolean) => void;
    let pings = 0;
    const ping = () => (++pings, new Promise<boolean>((resolve) => (answer = resolve)));
    await expect(circuit.run(() => Promise.reject(down), unreachable, ping)).rejects.toBe(down);
    for (let i = 0; i < 5; i++) expect(() => circuit.refuseIfOpen(ping)).toThrow(StoreUnreachable);
    expect(pendingTimers()).toBe(1);
    advance(RETRY_AFTER_MS);
    for (let i = 0; i < 5; i++) expect(() => circuit.refuseIfOpen(ping)).toThrow(StoreUnreachable);
    expect(pings).toBe(1);
    answer(true);
    await circuit.probed();
    expect(circuit.state).toBe("closed");
  });
});

describe("the health probe", () => {
  it("closes an open circuit when the store answers it, and opens a closed one when it does not", async () => {
    const { circuit } = circuitWithClock();
    circuit.record(false);
    expect(circuit.state).toBe("open");
    circuit.record(true);
    expect(circuit.state).toBe("closed");
  });
});
