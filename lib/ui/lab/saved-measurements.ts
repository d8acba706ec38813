/**
 * The dashboard's measurements, kept in sessionStorage so a reload does not lose them (this tab only,
 * gone when it closes). Only what the comparison reads is kept: traces without their DPoP proofs;
 * the access token itself never leaves the page's memory (use-lab.ts).
 */
const KEY = "authlab.measurements.v1";

export function loadMeasurements<T extends object>(): T | null {
  try {
    const text = window.sessionStorage.getItem(KEY);
    const value: unknown = text ? JSON.parse(text) : null;
    return value && typeof value === "object" ? (value as T) : null;
  } catch {
    // Storage disabled (a privacy setting) or an old, unreadable entry: start empty.
    return null;
  }
}

export function saveMeasurements(measurements: object): void {
  try {
    const text = JSON.stringify(measurements, (key, value: unknown) => (key === "proof" ? null : value));
    window.sessionStorage.setItem(KEY, text);
  } catch {
    // Storage full or disabled: the measurements still live in the page until it reloads.
  }
}

export function clearSavedMeasurements(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Nothing was saved.
  }
}
