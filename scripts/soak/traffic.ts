/**
 * The soak's users. Each has its own address and a preferred instance, and loops through what a
 * signed-in person's browser and scripts do — sign up, sign in, check the session, call the JWT API,
 * refresh, sign out — the way a careful client would: a request that got no answer is sent again to
 * the other instance; a sign-up whose retry meets 409 signs in instead; a 503 is retried later; a
 * sign-out is repeated until it answers 204.
 *
 * The ledger remembers what the server promised (accounts created, sessions started, sessions signed
 * out) so the run can check afterwards that nothing was lost.
 */
import { randomBytes } from "node:crypto";
import { SoakClient, type Answer, type Endpoints, type SendOptions } from "./client";
import type { Flow, InstanceName } from "./samples";

export const PASSWORD = "soak test passphrase, long enough";
const SESSION_COOKIE = "authlab_session";
const REFRESH_COOKIE = "authlab_refresh";
/** After a 503 a client waits a little before trying again, as Retry-After asks. */
const BACKOFF_MS = 100;

export interface Account {
  email: string;
  address: string;
  /** The server answered 201, or a later sign-in with it succeeded. */
  confirmed: boolean;
}

export interface SessionEntry {
  owner: string;
  /** The cookies the browser held for it: session, and the latest refresh token. */
  cookies: Map<string, string>;
  startedAt: number;
  ended?: { how: "signed_out" | "replaced" | "refused"; at: number };
  /**
   * When this browser first sent a request that ends the session (sign-out, or a sign-in or sign-up that
   * replaces it). The server may end it before the answer reaches the client and sets `ended`.
   */
  ending?: number;
}

export class Ledger {
  readonly accounts: Account[] = [];
  readonly sessions: SessionEntry[] = [];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let emails = 0;
const newEmail = (tag: string) => `soak-${tag}-${(emails += 1)}-${randomBytes(3).toString("hex")}@soak.test`;

export class User {
  private readonly client: SoakClient;
  account: Account | null = null;
  session: SessionEntry | null = null;
  private accessToken: string | null = null;
  private pendingSignup: { email: string; lost: boolean } | null = null;
  private needSignIn = false;
  private pendingSignOut = false;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly ledger: Ledger,
    readonly name: string,
    address: string,
    preferred: InstanceName,
  ) {
    this.client = new SoakClient(endpoints, address, preferred);
  }

  async run(running: () => boolean): Promise<void> {
    while (running()) await this.step();
  }

  private async step(): Promise<void> {
    if (this.pendingSignOut) return this.signOut();
    if (!this.account || this.pendingSignup) return this.signUp();
    if (!this.session || this.needSignIn) return this.signIn();
    const roll = Math.random();
    if (roll < 0.35) return this.checkSession();
    if (roll < 0.65) return this.callApi();
    if (roll < 0.8) return this.refresh();
    if (roll < 0.88) return this.signIn();
    if (roll < 0.95) return this.signOut();
    this.pendingSignup = { email: newEmail(this.name), lost: false };
    return this.signUp();
  }

  /** Sends; if no answer came, sends once more to the other instance (the server may have acted). */
  private async send(flow: Flow, path: string, options: SendOptions = {}): Promise<Answer & { lost: boolean }> {
    const first = await this.client.send(flow, path, options);
    if (first.outcome.kind === "status") return { ...first, lost: false };
    const again = await this.client.send(flow, path, {
      ...options,
      afterLostAnswer: true,
      instance: this.client.other(first.instance),
    });
    return { ...again, lost: true };
  }

  private status(answer: Answer): number {
    return answer.outcome.kind === "status" ? answer.outcome.status : 0;
  }

  /** The next request may end the current session: say so before it is sent (see SessionEntry.ending). */
  private endingSession() {
    if (this.session && !this.session.ended) this.session.ending ??= this.endpoints.now();
  }

  private remember() {
    if (this.session) this.session.cookies = new Map(this.client.cookies);
  }

  private started(answer: Answer) {
    if (this.session && !this.session.ended) this.session.ended = { how: "replaced", at: this.endpoints.now() };
    this.accessToken = answer.body?.accessToken ?? null;
    this.session = { owner: this.name, cookies: new Map(this.client.cookies), startedAt: this.endpoints.now() };
    this.ledger.sessions.push(this.session);
    this.needSignIn = false;
  }

  private async signUp(): Promise<void> {
    this.pendingSignup ??= { email: newEmail(this.name), lost: false };
    const { email } = this.pendingSignup;
    this.endingSession();
    const answer = await this.send("signup", "/api/auth/signup", {
      method: "POST",
      json: { email, password: PASSWORD },
      afterLostAnswer: this.pendingSignup.lost,
    });
    const status = this.status(answer);
    if (status === 201) {
      this.account = { email, address: this.client.address, confirmed: true };
      this.ledger.accounts.push(this.account);
      this.pendingSignup = null;
      this.started(answer);
    } else if (status === 409 && (answer.lost || this.pendingSignup.lost)) {
      // Our own earlier attempt created it; its answer never arrived. Sign in instead.
      this.account = { email, address: this.client.address, confirmed: false };
      this.ledger.accounts.push(this.account);
      this.pendingSignup = null;
      this.needSignIn = true;
    } else if (status === 503 || status === 0) {
      this.pendingSignup.lost ||= answer.lost || status === 0;
      await sleep(BACKOFF_MS);
    } else {
      this.pendingSignup = null;
    }
  }

  private async signIn(): Promise<void> {
    const account = this.account!;
    this.endingSession();
    const answer = await this.send("signin", "/api/auth/login", {
      method: "POST",
      json: { email: account.email, password: PASSWORD },
    });
    const status = this.status(answer);
    if (status === 200) {
      account.confirmed = true;
      this.started(answer);
    } else {
      this.needSignIn = true;
      if (status === 503 || status === 0) await sleep(BACKOFF_MS);
    }
  }

  private async checkSession(): Promise<void> {
    const answer = await this.send("session", "/api/session");
    const status = this.status(answer);
    this.remember();
    if (status === 401) {
      this.session!.ended = { how: "refused", at: this.endpoints.now() };
      this.needSignIn = true;
    } else if (status === 503) await sleep(BACKOFF_MS);
  }

  private async callApi(): Promise<void> {
    if (!this.accessToken) return this.refresh();
    await this.send("me", "/api/me", { bearer: this.accessToken });
  }

  private async refresh(): Promise<void> {
    if (!this.client.cookies.has(REFRESH_COOKIE)) {
      this.needSignIn = true;
      return;
    }
    const answer = await this.send("refresh", "/api/auth/refresh", { method: "POST" });
    const status = this.status(answer);
    this.remember();
    if (status === 200) this.accessToken = answer.body?.accessToken ?? this.accessToken;
    else if (status === 401) {
      // The family ended (or our re-send was reuse): a new one comes with the next sign-in.
      this.client.cookies.delete(REFRESH_COOKIE);
      this.remember();
      this.needSignIn = true;
    } else if (status === 503) await sleep(BACKOFF_MS);
  }

  private async signOut(): Promise<void> {
    const entry = this.session;
    this.endingSession();
    const answer = await this.send("signout", "/api/auth/logout", { method: "POST" });
    const status = this.status(answer);
    if (status === 204) {
      if (entry && !entry.ended) entry.ended = { how: "signed_out", at: this.endpoints.now() };
      this.session = null;
      this.accessToken = null;
      this.pendingSignOut = false;
      this.needSignIn = true;
    } else {
      // The server keeps (does not clear) the cookies of whatever it could not end: try again.
      this.remember();
      this.pendingSignOut = this.client.cookies.has(SESSION_COOKIE) || this.client.cookies.has(REFRESH_COOKIE);
      if (!this.pendingSignOut) this.session = null;
      await sleep(BACKOFF_MS);
    }
  }
}

/** Someone who keeps typing the wrong password for one account: 401, then 429 (expected for them). */
export async function guessPasswords(
  endpoints: Endpoints,
  victim: string,
  running: () => boolean,
  intervalMs = 200,
): Promise<void> {
  const client = new SoakClient(endpoints, "203.0.113.250", "a");
  let guess = 0;
  while (running()) {
    guess += 1;
    await client.send("wrong-password", "/api/auth/login", {
      method: "POST",
      json: { email: victim, password: `wrong guess number ${guess}` },
    });
    await sleep(intervalMs);
  }
}

/** A client for checks outside the traffic: it records nothing and carries the cookies it is given. */
export function checker(urls: Record<InstanceName, string>, address: string, cookies?: Map<string, string>) {
  const client = new SoakClient({ urls, now: () => 0, record: () => undefined }, address, "a");
  for (const [name, value] of cookies ?? []) client.cookies.set(name, value);
  return client;
}
