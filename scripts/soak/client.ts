/**
 * One soak client's HTTP: a cookie jar (the refresh cookie only travels to /api/auth, as in a
 * browser), its own address in X-Forwarded-For (the instances trust one proxy hop), and client-side
 * failover between the two instances: a request that gets no answer is recorded, the instance is
 * avoided for a moment, and the caller decides whether to send it again to the other one.
 */
import type { Flow, InstanceName, Outcome, Sample } from "./samples";

const TIMEOUT_MS = 15_000;
/** How long an instance that gave no answer is avoided. */
const AVOID_MS = 1000;

export interface Endpoints {
  urls: Record<InstanceName, string>;
  /** Milliseconds since the run started. */
  now(): number;
  record(sample: Sample): void;
}

export interface Answer {
  outcome: Outcome;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Set-Cookie pairs the answer carried, already applied to the jar. */
  setCookies: string[];
}

export interface SendOptions {
  method?: "GET" | "POST";
  json?: unknown;
  bearer?: string;
  /** A re-send after an attempt that got no answer. */
  afterLostAnswer?: boolean;
  /** Send to this instance instead of the preferred one. */
  instance?: InstanceName;
}

export class SoakClient {
  readonly cookies = new Map<string, string>();
  private avoidUntil: Record<InstanceName, number> = { a: 0, b: 0 };

  constructor(
    private readonly endpoints: Endpoints,
    readonly address: string,
    readonly preferred: InstanceName,
  ) {}

  other(instance: InstanceName): InstanceName {
    return instance === "a" ? "b" : "a";
  }

  private pick(): InstanceName {
    const now = this.endpoints.now();
    const preferred = this.preferred;
    return this.avoidUntil[preferred] > now && this.avoidUntil[this.other(preferred)] <= now
      ? this.other(preferred)
      : preferred;
  }

  private cookieHeader(path: string): string | undefined {
    const pairs = [...this.cookies].filter(([name]) => !name.includes("refresh") || path.startsWith("/api/auth"));
    return pairs.length ? pairs.map(([name, value]) => `${name}=${value}`).join("; ") : undefined;
  }

  private applySetCookies(headers: Headers): string[] {
    const set = headers.getSetCookie();
    for (const header of set) {
      const [pair, ...attributes] = header.split(";").map((s) => s.trim());
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const expired = attributes.some((a) => a.toLowerCase() === "max-age=0") || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return set;
  }

  async send(flow: Flow, path: string, options: SendOptions = {}): Promise<Answer & { instance: InstanceName }> {
    const instance = options.instance ?? this.pick();
    const url = this.endpoints.urls[instance];
    const headers: Record<string, string> = { "x-forwarded-for": this.address };
    const cookie = this.cookieHeader(path);
    if (cookie) headers.cookie = cookie;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.method === "POST") {
      headers.origin = url;
      headers["content-type"] = "application/json";
    }
    const start = this.endpoints.now();
    let answer: Answer;
    try {
      const response = await fetch(url + path, {
        method: options.method ?? "GET",
        headers,
        body: options.method === "POST" ? JSON.stringify(options.json ?? {}) : undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await response.text();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let body: any = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      answer = {
        outcome: { kind: "status", status: response.status, error: body?.error, reason: body?.reason },
        body,
        setCookies: this.applySetCookies(response.headers),
      };
    } catch (error) {
      this.avoidUntil[instance] = this.endpoints.now() + AVOID_MS;
      answer = { outcome: { kind: "connection", code: connectionErrorCode(error) }, body: null, setCookies: [] };
    }
    this.endpoints.record({
      flow,
      instance,
      start,
      end: this.endpoints.now(),
      outcome: answer.outcome,
      afterLostAnswer: options.afterLostAnswer ?? false,
    });
    return { ...answer, instance };
  }
}

/** fetch (undici) wraps the socket's error in `cause`. */
function connectionErrorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string; name?: string } })?.cause;
  if (cause?.code) return cause.code;
  if (error instanceof Error && error.name === "TimeoutError") return "timeout";
  return cause?.name ?? (error instanceof Error ? error.name : "error");
}
