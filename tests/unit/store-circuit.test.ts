/**
 * The session store's circuit: after the store is found unreachable, operations are refused at once
 * (without asking the store) until one probe at a time finds it back.
 */
import { describe, expect, it } from "vitest";
import { RETRY_AFTER_MS, StoreCircuit, StoreUnreachable } from "@/lib/server/auth/session/store-circuit";

const down = new Error("connect ECONNREFUSED");
const unreachable = (error: unknown) => error === down;

function circuitWithClock() {
  let now = 1_000_000;
  const circuit = new StoreCircuit(RETRY_AFTER_MS, () => now);
  return { circuit, advance: (ms: number) => (now += ms) };
}

describe("the store circuit", () => {
  it("passes operations through while the store answers", async () => {
    const { circuit } = circuitWithClock();
    expect(await circuit.run(async () => "ok", unreachable)).toBe("ok");
    expect(circuit.state).toBe("closed");
  });

  it("opens on an unreachable store, then refuses at once without calling the store", async () => {
    const { circuit } = circuitWithClock();
    await expect(circuit.run(() => Promise.reject(down), unreachable)).rejects.toBe(down);
    expect(circuit.state).toBe("open");
    let called = 0;
    await expect(circuit.run(async () => ++called, unreachable)).rejects.toBeInstanceOf(StoreUnreachable);
    expect(called).toBe(0);
  });

  it("says it is refusing exactly while run would refuse, and asking never starts a probe", async () => {
    const { circuit, advance } = circuitWithClock();
    expect(circuit.refusing()).toBe(false);
    await expect(circuit.run(() => Promise.reject(down), unreachable)).rejects.toBe(down);
    expect(circuit.refusing()).toBe(true);
    advance(RETRY_AFTER_MS);
    expect(circuit.refusing()).toBe(false);
    expect(circuit.state).toBe("open");
    // A probe under way: refusing again until it settles.
    let settle!: () => void;
    const probe = circuit.run(() => new Promise<void>((resolve) => (settle = resolve)), unreachable);
    expect(circuit.refusing()).toBe(true);
    settle();
    await probe;
    expect(circuit.refusing()).toBe(false);
    expect(circuit.state).toBe("closed");
  });

  it("a refusal that is the store answering (not an outage) does not open it", async () => {
    const { circuit } = circuitWithClock();
    const answered = new Error("not found");
    await expect(circuit.run(() => Promise.reject(answered), unreachable)).rejects.toBe(answered);
    expect(circuit.state).toBe("closed");
  });

  it("after the interval one probe goes through while the rest are refused; its success closes the circuit", async () => {
    const { circuit, advance } = circuitWithClock();
    await expect(circuit.run(() => Promise.reject(down), unreachable)).rejects.toBe(down);
    advance(RETRY_AFTER_MS);
    let release!: () => void;
    const probe = circuit.run(() => new Promise<string>((resolve) => (release = () => resolve("back"))), unreachable);
    expect(circuit.state).toBe("half-open");
    await expect(circuit.run(async () => "second", unreachable)).rejects.toBeInstanceOf(StoreUnreachable);
    release();
    expect(await probe).toBe("back");
    expect(circuit.state).toBe("closed");
    expect(await circuit.run(async () => "flows", unreachable)).toBe("flows");
  });

  it("a failed probe keeps it open for another interval", async () => {
    const { circuit, advance } = circuitWithClock();
    await expect(circuit.run(() => Promise.reject(down), unreachable)).rejects.toBe(down);
    advance(RETRY_AFTER_MS);
    await expect(circuit.run(() => Promise.reject(down), unreachable)).rejects.toBe(down);
    expect(circuit.state).toBe("open");
    await expect(circuit.run(async () => "too soon", unreachable)).rejects.toBeInstanceOf(StoreUnreachable);
    advance(RETRY_AFTER_MS);
    expect(await circuit.run(async () => "now", unreachable)).toBe("now");
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
