"use client";

/**
 * The page's DPoP state: its key (non-extractable, from IndexedDB — lib/ui/dpop/key-store.ts), whether
 * its tokens are to be bound (the switch, kept in localStorage so every tab of this origin agrees — a
 * preference, not a secret), and the last proof it sent, for the panel to decode.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { dpopUnavailableReason, loadOrCreateKeyPair } from "@/lib/ui/dpop/key-store";
import { dpopKeyOf, type DpopKey } from "@/lib/ui/dpop/proof";

const MODE_KEY = "authlab.dpop";
/** A change made in this tab (the storage event reaches only the other tabs). */
const MODE_CHANGED = "authlab:dpop-mode";

export interface Dpop {
  status: "loading" | "ready" | "unavailable";
  /** Why DPoP cannot run here, when it cannot. */
  problem: string | null;
  /** The switch: bind tokens to this browser's key. */
  enabled: boolean;
  /** DPOP_REQUIRED on the server: the switch stays on. */
  required: boolean;
  key: DpopKey | null;
  /** Settles once the key is loaded (or known to be unavailable): every request that needs it waits. */
  keyReady: Promise<DpopKey | null>;
  lastProof: string | null;
  noteProof: (proof: string) => void;
  setMode: (on: boolean) => void;
}

/** The switch as stored: on unless turned off (or forced on by DPOP_REQUIRED). Read at request time. */
export function readDpopMode(required: boolean): boolean {
  if (required) return true;
  try {
    return window.localStorage.getItem(MODE_KEY) !== "off";
  } catch {
    return true;
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The key, or why there is none: settled asynchronously, so the page renders at once. */
async function loadKey(): Promise<{ key: DpopKey } | { problem: string }> {
  const unavailable = dpopUnavailableReason();
  if (unavailable) return { problem: unavailable };
  try {
    return { key: await dpopKeyOf(await loadOrCreateKeyPair()) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : "the key could not be loaded" };
  }
}

function subscribeToMode(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener(MODE_CHANGED, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(MODE_CHANGED, onChange);
  };
}

export function useDpop(required: boolean): Dpop {
  const [pending] = useState(() => deferred<DpopKey | null>());
  const [loaded, setLoaded] = useState<{ key: DpopKey } | { problem: string } | null>(null);
  const [lastProof, setLastProof] = useState<string | null>(null);
  // Another tab flipping the switch reaches this one at once, so the tabs never disagree about the key.
  const enabled = useSyncExternalStore(
    subscribeToMode,
    () => readDpopMode(required),
    () => true,
  );

  useEffect(() => {
    let current = true;
    void loadKey().then((result) => {
      pending.resolve("key" in result ? result.key : null);
      if (current) setLoaded(result);
    });
    return () => {
      current = false;
    };
  }, [pending]);

  const setMode = useCallback(
    (on: boolean) => {
      if (required) return;
      window.localStorage.setItem(MODE_KEY, on ? "on" : "off");
      window.dispatchEvent(new Event(MODE_CHANGED));
    },
    [required],
  );

  const status: Dpop["status"] = loaded === null ? "loading" : "key" in loaded ? "ready" : "unavailable";
  return {
    status,
    problem: loaded && "problem" in loaded ? loaded.problem : null,
    enabled: enabled && status !== "unavailable",
    required,
    key: loaded && "key" in loaded ? loaded.key : null,
    keyReady: pending.promise,
    lastProof,
    noteProof: setLastProof,
    setMode,
  };
}
