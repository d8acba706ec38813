/**
 * One instance per process (or Edge isolate), however many bundles import the module.
 *
 * Next bundles route handlers, server components and the instrumentation hook separately, so a
 * module-level `let` can exist once per bundle within one process: two database pools, two verified-
 * token caches. `Symbol.for` names a slot on globalThis that every copy of this module shares.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`authlab.${name}`);
  const holder = globalThis as typeof globalThis & Record<symbol, T | undefined>;
  let value = holder[key];
  if (value === undefined) {
    value = create();
    holder[key] = value;
  }
  return value;
}
