/**
 * Reading what the server observed: the audit trail through the admin API, and metrics parsed from
 * the Prometheus text exposition.
 */
import { expect } from "vitest";
import type { AppServer } from "./app-server";
import { Client, signUp, GOOD_PASSWORD, type RequestOptions } from "./http-client";
import { setRole } from "./db";

export const FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/** A client that presents a browser's User-Agent on every request. */
export class BrowserClient extends Client {
  constructor(
    baseUrl: string,
    readonly userAgent = FIREFOX_ON_LINUX,
  ) {
    super(baseUrl);
  }

  override request(pathname: string, options: RequestOptions = {}) {
    return super.request(pathname, { ...options, headers: { "user-agent": this.userAgent, ...options.headers } });
  }
}

/** A signed-in admin (granted as an operator would, then signed in again for a token with the role). */
export async function signInAdmin(server: AppServer): Promise<{ client: Client; accessToken: string; id: number }> {
  const client = new Client(server.url);
  const { email, user } = await signUp(client);
  await setRole(server.database, email, "ADMIN");
  const login = await client.post("/api/auth/login", { email, password: GOOD_PASSWORD });
  if (login.status !== 200) throw new Error(`admin sign-in failed: ${login.status}`);
  return { client, accessToken: login.body.accessToken, id: user.id };
}

export interface AuditEvent {
  id: number;
  at: string;
  event: string;
  userId: number | null;
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown>;
}

export async function auditEvents(
  server: AppServer,
  accessToken: string,
  query: Record<string, string | number> = {},
): Promise<AuditEvent[]> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const response = await new Client(server.url).get(`/api/admin/audit?${params}`, { bearer: accessToken });
  if (response.status !== 200) throw new Error(`audit API: ${response.status} ${response.text}`);
  return response.body.events as AuditEvent[];
}

/** Waits (polling, no fixed sleep) until the user's trail holds `event`, and returns it. */
export async function expectEvent(
  server: AppServer,
  accessToken: string,
  userId: number,
  event: string,
): Promise<AuditEvent> {
  let found: AuditEvent | undefined;
  await expect
    .poll(
      async () => {
        found = (await auditEvents(server, accessToken, { userId, event }))[0];
        return found?.event;
      },
      { timeout: 5000, interval: 100 },
    )
    .toBe(event);
  return found!;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format (0.0.4), sample lines only. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`. */
export function metricValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

export async function scrape(server: AppServer, token?: string): Promise<Sample[]> {
  const response = await new Client(server.url).get("/api/metrics", token ? { bearer: token } : {});
  if (response.status !== 200) throw new Error(`metrics: ${response.status} ${response.text}`);
  return parseExposition(response.text);
}
