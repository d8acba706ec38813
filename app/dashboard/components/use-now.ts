"use client";

import { useSyncExternalStore } from "react";

const TICK_MS = 1000;

/**
 * One ticking clock for every countdown on the page. Its server snapshot is null: the server's clock
 * and time zone are not the browser's, so anything drawn from "now" is rendered only after hydration
 * (otherwise React reports a hydration mismatch, error #418).
 */
const clock = {
  now: 0,
  listeners: new Set<() => void>(),
  timer: undefined as ReturnType<typeof setInterval> | undefined,
};

function subscribe(listener: () => void): () => void {
  clock.listeners.add(listener);
  if (clock.timer === undefined) {
    clock.now = Date.now();
    clock.timer = setInterval(() => {
      clock.now = Date.now();
      for (const notify of clock.listeners) notify();
    }, TICK_MS);
  }
  return () => {
    clock.listeners.delete(listener);
    if (clock.listeners.size === 0 && clock.timer !== undefined) {
      clearInterval(clock.timer);
      clock.timer = undefined;
    }
  };
}

const clientNow = () => (clock.now ||= Date.now());
const serverNow = () => null;

/** The browser's current time, ticking once a second; null while rendering on the server and hydrating. */
export function useNow(): number | null {
  return useSyncExternalStore(subscribe, clientNow, serverNow);
}

export function formatRemaining(ms: number): string {
  if (ms <= 0) return "expired";
  const total = Math.ceil(ms / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}
