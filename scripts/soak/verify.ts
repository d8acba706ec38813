/**
 * After the run, with every fault healed: did the server keep its promises? Every account it created
 * signs in; every session a sign-out ended with 204 stays ended (its cookie and its refresh token are
 * refused); every session nobody ended still works.
 */
import type { InstanceName } from "./samples";
import { checker, PASSWORD, type Ledger } from "./traffic";

export interface Verification {
  accounts: { checked: number; signIn: number; failed: number };
  signOuts: { checked: number; ended: number; alive: number };
  liveSessions: { checked: number; alive: number; lost: number };
  /** A few examples of what failed, by kind (emails are synthetic; no cookie or token is printed). */
  examples: string[];
}

const CONCURRENCY = 4;

async function inParallel<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const status = (answer: { outcome: { kind: string; status?: number } }) =>
  answer.outcome.kind === "status" ? answer.outcome.status! : 0;

export async function verify(ledger: Ledger, urls: Record<InstanceName, string>): Promise<Verification> {
  const result: Verification = {
    accounts: { checked: 0, signIn: 0, failed: 0 },
    signOuts: { checked: 0, ended: 0, alive: 0 },
    liveSessions: { checked: 0, alive: 0, lost: 0 },
    examples: [],
  };
  const example = (line: string) => {
    if (result.examples.length < 10) result.examples.push(line);
  };

  await inParallel(
    ledger.accounts.filter((a) => a.confirmed),
    async (account) => {
      result.accounts.checked += 1;
      const answer = await checker(urls, account.address).send("signin", "/api/auth/login", {
        method: "POST",
        json: { email: account.email, password: PASSWORD },
      });
      if (status(answer) === 200) result.accounts.signIn += 1;
      else {
        result.accounts.failed += 1;
        example(`account ${account.email}: sign-in answered ${status(answer)} ${answer.body?.error ?? ""}`);
      }
    },
  );

  await inParallel(
    ledger.sessions.filter((s) => s.ended?.how === "signed_out"),
    async (entry) => {
      result.signOuts.checked += 1;
      const session = await checker(urls, "203.0.113.252", entry.cookies).send("session", "/api/session");
      const refresh = entry.cookies.has("authlab_refresh")
        ? await checker(urls, "203.0.113.252", entry.cookies).send("refresh", "/api/auth/refresh", { method: "POST" })
        : null;
      if (status(session) === 401 && (!refresh || status(refresh) === 401)) result.signOuts.ended += 1;
      else {
        result.signOuts.alive += 1;
        example(`signed out by ${entry.owner}: session ${status(session)}, refresh ${refresh ? status(refresh) : "-"}`);
      }
    },
  );

  await inParallel(
    ledger.sessions.filter((s) => !s.ended),
    async (entry) => {
      result.liveSessions.checked += 1;
      const session = await checker(urls, "203.0.113.252", entry.cookies).send("session", "/api/session");
      if (status(session) === 200) result.liveSessions.alive += 1;
      else {
        result.liveSessions.lost += 1;
        example(`live session of ${entry.owner}: ${status(session)} ${session.body?.error ?? ""}`);
      }
    },
  );
  return result;
}
