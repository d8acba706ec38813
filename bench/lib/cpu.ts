/**
 * With taskset and two or more CPUs, servers run on CPU 0 and the measuring process (the load
 * generator, the micro-benchmarks, the growth workers) on CPU 1, so they do not take turns on one
 * core and the scheduler moving them around does not add noise.
 *
 * The load runs (bench/run.ts) do not pin by default: with every thread of a server — its event loop,
 * V8's garbage collector and compiler, libuv's pool — held to one core, servers were not slowed alike
 * (the memory store measured as the slowest store pinned, and as the fastest unpinned: bench/README.md).
 * `--pin` brings it back; the growth runs, which time in-process reads in a worker, keep it.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { binaryExists } from "@/scripts/lib/redis-processes";

export const MEASURING_CPU = 1;

/** Pins this process to MEASURING_CPU when it can; returns the CPU the servers should use. */
export function pinning(enabled = true): { serverCpu?: number } {
  if (!enabled || os.cpus().length < 2 || !binaryExists("taskset")) return {};
  spawnSync("taskset", ["-cp", String(MEASURING_CPU), String(process.pid)], { stdio: "ignore" });
  return { serverCpu: 0 };
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}
