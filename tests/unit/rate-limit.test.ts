import { describe, expect, it } from "vitest";
import { stateOf, type WindowPolicy } from "@/lib/server/rate-limit/limiter";
import { FallbackRateLimiter, PRIMARY_RETRY_MS } from "@/lib/server/rate-limit/fallback-limiter";
import { MemoryRateLimiter } from "@/lib/server/rate-limit/memory-limiter";

const policy = { limit: 10, windowSeconds: 15 * 60 };
const MINUTE = 60_000;

describe("sliding-window limiter", () => {
  it("allows 10 failures in 15 minutes and limits the 11th attempt with Retry-After", async () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 1_000_000_000;
    for (let i = 0; i < 10; i++) {
      expect((await limiter.peek("k", policy, t0 + i)).limited).toBe(false);
      await limiter.hit("k", policy, t0 + i);
    }
    const state = await limiter.peek("k", policy, t0 + 10);
    expect(state).toEqual({ limited: true, count: 10, retryAfterSeconds: 15 * 60 });
  });

  it("frees up as old events leave the window (no boundary doubling)", async () => {
    const t0 = 0;
    const times = Array.from({ length: 10 }, (_, i) => t0 + i * MINUTE);
    expect(stateOf(times, policy, t0 + 14 * MINUTE).limited).toBe(true);
    expect(stateOf(times, policy, t0 + 15 * MINUTE + 1).limited).toBe(false);
  });

  it("reset clears a key; keys are independent", async () => {
    const limiter = new MemoryRateLimiter();
    for (let i = 0; i < 10; i++) await limiter.hit("a", policy, i);
    expect((await limiter.peek("b", policy, 20)).limited).toBe(false);
    await limiter.reset("a");
    expect((await limiter.peek("a", policy, 20)).limited).toBe(false);
  });

  it("take counts parallel attempts atomically: at most the limit pass, refusals are not recorded", async () => {
    const limiter = new MemoryRateLimiter();
    const results = await Promise.all(Array.from({ length: 30 }, () => limiter.take("k", policy, 100)));
    expect(results.filter((r) => !r.limited)).toHaveLength(10);
    expect(results.filter((r) => r.limited)).toHaveLength(20);
    expect((await limiter.peek("k", policy, 100)).count).toBe(10);
  });

  it("release gives back exactly the event a take recorded", async () => {
    const limiter = new MemoryRateLimiter();
    const first = await limiter.take("k", policy, 100);
    await limiter.take("k", policy, 200);
    if (first.limited) throw new Error("the first take must pass");
    await limiter.release("k", first.reservation);
    expect((await limiter.peek("k", policy, 300)).count).toBe(1);
    // The remaining event is the second one: it leaves the window 100 ms after the first would have.
    expect((await limiter.peek("k", policy, 100 + policy.windowSeconds * 1000 + 1)).count).toBe(1);
    expect((await limiter.peek("k", policy, 200 + policy.windowSeconds * 1000 + 1)).count).toBe(0);
  });
});

describe("the memory limiter under a spray of distinct keys", () => {
  const ADDRESS_FAILURES = { limit: 100, windowSeconds: 15 * 60 };

  it("never frees a locked account, however many one-request address keys arrive (an IPv6 /47 holds 131,072 /64s)", async () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 1_000_000_000;
    for (let i = 0; i < 10; i++) await limiter.take("login:account:victim", policy, t0 + i);
    expect((await limiter.take("login:account:victim", policy, t0 + 10)).limited).toBe(true);

    for (let i = 0; i < 100_001; i++) {
      await limiter.take(`login:address:2001:db8:${i.toString(16)}::/64`, ADDRESS_FAILURES, t0 + 20 + i / 1000);
    }
    expect((await limiter.take("login:account:victim", policy, t0 + 200)).limited).toBe(true);
  });

  it("a kind full of live keys refuses new ones of that kind (and says so), while every counted key keeps working", async () => {
    const refused: string[] = [];
    const limiter = new MemoryRateLimiter({ maxKeysPerKind: 3, onKeyRefused: (kind) => refused.push(kind) });
    for (let i = 0; i < 3; i++) await limiter.take(`login:address:10.0.0.${i}`, ADDRESS_FAILURES, 100);

    const fourth = await limiter.take("login:address:10.0.0.9", ADDRESS_FAILURES, 200);
    expect(fourth).toMatchObject({ limited: true });
    expect((await limiter.peek("login:address:10.0.0.9", ADDRESS_FAILURES, 200)).limited).toBe(true);
    expect(refused).toEqual(["login:address", "login:address"]);
    // Counted keys are untouched, and another kind has its own room.
    expect((await limiter.take("login:address:10.0.0.1", ADDRESS_FAILURES, 300)).limited).toBe(false);
    expect((await limiter.take("login:account:someone", policy, 300)).limited).toBe(false);
  });

  it("keys whose window has passed make room; live ones never do", async () => {
    const limiter = new MemoryRateLimiter({ maxKeysPerKind: 2 });
    await limiter.take("login:address:a", ADDRESS_FAILURES, 0);
    await limiter.take("login:address:b", ADDRESS_FAILURES, MINUTE);
    const window = ADDRESS_FAILURES.windowSeconds * 1000;
    // "a" is past its window, "b" is not: "c" takes a's place.
    expect((await limiter.take("login:address:c", ADDRESS_FAILURES, window + 1)).limited).toBe(false);
    expect((await limiter.peek("login:address:b", ADDRESS_FAILURES, window + 1)).count).toBe(1);
    expect((await limiter.take("login:address:d", ADDRESS_FAILURES, window + 2)).limited).toBe(true);
  });
});

/**
 * Redis stamps an event with its own clock reading; the local mirror used to be stamped a
 * moment later and released by Redis's timestamp, so under load accepted sign-ins piled up locally as
 * failures and the first Redis hiccup locked the address out. A primary whose events are one
 * millisecond older than the caller's clock reproduces that difference every time.
 */
class SkewedPrimary extends MemoryRateLimiter {
  failing = false;
  takes = 0;
  peeks = 0;
  override async peek(key: string, p: WindowPolicy, now = Date.now()) {
    this.peeks += 1;
    if (this.failing) throw new Error("redis is down");
    return super.peek(key, p, now);
  }
  override async take(key: string, p: WindowPolicy, now = Date.now()) {
    this.takes += 1;
    if (this.failing) throw new Error("redis is down");
    return super.take(key, p, now - 1);
  }
  override async release(key: string, reservation: string) {
    if (this.failing) throw new Error("redis is down");
    return super.release(key, reservation);
  }
}

describe("the local copy behind Redis (FallbackRateLimiter)", () => {
  it("forgets exactly the events Redis forgot: accepted sign-ins never count as failures in a fallback", async () => {
    const primary = new SkewedPrimary();
    const limiter = new FallbackRateLimiter(primary, new MemoryRateLimiter());
    const addressPolicy = { limit: 100, windowSeconds: 15 * 60 };
    for (let i = 0; i < 300; i++) {
      const taken = await limiter.take("address", addressPolicy, 1_000_000 + i * 10);
      if (taken.limited) throw new Error(`sign-in ${i} was refused while Redis was up`);
      await limiter.release("address", taken.reservation);
    }
    primary.failing = true;
    const during = await limiter.take("address", addressPolicy, 1_004_000);
    expect(during.limited).toBe(false);
    expect(during.count).toBe(1);
  });

  it("still mirrors the attempts Redis kept, so a fallback starts from a realistic count", async () => {
    const primary = new SkewedPrimary();
    const limiter = new FallbackRateLimiter(primary, new MemoryRateLimiter());
    for (let i = 0; i < 10; i++) await limiter.take("account", policy, 2_000_000 + i);
    primary.failing = true;
    expect((await limiter.take("account", policy, 2_000_100)).limited).toBe(true);
  });

  it("answers from the local copy alone for a moment after Redis fails, then tries Redis again", async () => {
    let clock = 5_000_000;
    const primary = new SkewedPrimary();
    const limiter = new FallbackRateLimiter(primary, new MemoryRateLimiter(), () => clock);
    primary.failing = true;
    for (let i = 0; i < 5; i++) expect((await limiter.take("k", policy, clock)).limited).toBe(false);
    expect(primary.takes).toBe(1);
    primary.failing = false;
    clock += PRIMARY_RETRY_MS;
    // The retry time has come: this call still answers locally; one read tries Redis meanwhile.
    await limiter.take("k", policy, clock);
    expect(primary.takes).toBe(1);
    expect(primary.peeks).toBe(1);
    await limiter.primaryProbed();
    await limiter.take("k", policy, clock);
    expect(primary.takes).toBe(2);
  });

  it("while Redis stays down, its retry is one background read: no caller waits for it", async () => {
    let clock = 6_000_000;
    const primary = new SkewedPrimary();
    const limiter = new FallbackRateLimiter(primary, new MemoryRateLimiter(), () => clock);
    primary.failing = true;
    await limiter.take("k", policy, clock);
    clock += PRIMARY_RETRY_MS;
    // Ten sign-ins arrive at once when the retry is due: one probe, no take sent to Redis.
    await Promise.all(Array.from({ length: 10 }, () => limiter.take("k", { limit: 100, windowSeconds: 60 }, clock)));
    expect(primary.peeks).toBe(1);
    expect(primary.takes).toBe(1);
    await limiter.primaryProbed();
    // Still down: the next retry waits another PRIMARY_RETRY_MS.
    await limiter.take("k", policy, clock);
    expect(primary.peeks).toBe(1);
    expect(primary.takes).toBe(1);
  });
});
