/**
 * One production server for a whole test file: started before its tests, stopped after them. The
 * returned object stands for the server as soon as it has started.
 */
import { afterAll, beforeAll } from "vitest";
import { startAppServer, type AppServer, type StartOptions } from "./app-server";

export function useAppServer(options: StartOptions = {}): AppServer {
  let started: AppServer | undefined;
  beforeAll(async () => {
    started = await startAppServer(options);
  });
  afterAll(async () => {
    await started?.dispose();
  });
  const current = () => {
    if (!started) throw new Error("the test server has not started (use it inside a test or hook)");
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    get env() {
      return current().env;
    },
    get database() {
      return current().database;
    },
    logs: () => current().logs(),
    stop: (signal, killAfterMs) => current().stop(signal, killAfterMs),
    restart: (changes) => current().restart(changes),
    dispose: () => current().dispose(),
    advanceClock: (ms) => current().advanceClock(ms),
  };
}
