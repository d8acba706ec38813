/**
 * Two real refreshes leave the page at the same moment with the one refresh cookie, around the page's
 * own cross-tab lock, as two tabs loading together would. Written by hand: whether the two requests
 * really raced is only known from their answers, and the steps depend on it.
 */
import type { Trace } from "@/lib/ui/lab/trace";
import { needsLab } from "./availability";
import { field, step, type Expectation, type StepResult } from "./kit";
import { adoptToken, lab as labRequest } from "./steps";
import type { Experiment, RunInput } from "./types";

/** The server's default window, for showing what grace would do when strict mode is configured. */
const DEFAULT_GRACE_SECONDS = 10;

const strictLoss: Expectation = { status: 401, error: "invalid_grant", reason: "reused" };

const raceStatuses = (body: unknown) =>
  (field<{ status: number }[]>(body, "answers") ?? []).map((a) => a.status).sort((x, y) => x - y);

const strictRace = {
  holds: (b: unknown) => raceStatuses(b).join() === "200,401" && field(b, "familyRevoked") === true,
  says: "one 200, one 401 reused, and the family revoked: both tabs signed out of the JWT flow",
};

const graceRace = {
  holds: (b: unknown) =>
    raceStatuses(b).join() === "200,200" &&
    field(b, "successorsHandedOut") === 1 &&
    field(b, "familyRevoked") === false,
  says: "both 200 with the same one successor, and the family lives",
};

/** What the lab's race answered, in words: "the two tabs got 200 and 401 (reused), and the family was revoked". */
function describeRace(body: unknown): string {
  const answers = (field<{ status: number; reason?: string }[]>(body, "answers") ?? []).map((a) =>
    a.reason ? `${a.status} (${a.reason})` : String(a.status),
  );
  if (answers.length === 0) return "the lab's race did not run";
  const family = field(body, "familyRevoked") ? "the family was revoked" : "the family lived on";
  return `the two tabs got ${answers.join(" and ")}, and ${family}`;
}

const family = (trace: Trace) => field<{ generation: number } | null>(trace.body, "family") ?? null;

async function run({ lab }: RunInput) {
  const steps: StepResult[] = [];
  const before = await lab.call(labRequest("GET", "/api/lab/refresh-family", "GET /api/lab/refresh-family (before)"));
  const grace = field<number>(before.body, "graceSeconds") ?? 0;
  const generation = family(before)?.generation ?? NaN;
  // Deliberately around the page's cross-tab lock: both requests carry the same cookie (and, with
  // DPoP on, each its own proof by the one key the tabs share).
  const race = await Promise.all([1, 2].map((tab) => lab.refreshCall(`POST /api/auth/refresh (tab ${tab})`)));
  const token = race.map((t) => field<string>(t.body, "accessToken")).find(Boolean);
  if (token) lab.setToken(token);
  // The browser attaches the cookie as each request starts; now and then the second starts after the
  // first answer set the new cookie, and then nothing raced: both rotated, one after the other.
  const raced = !race.every((t) => t.refreshOutcome === "rotated");
  const [first, second] =
    race[1]!.refreshOutcome === "rotated" && race[0]!.refreshOutcome !== "rotated"
      ? [race[1]!, race[0]!]
      : [race[0]!, race[1]!];
  if (!raced) {
    step(steps, "Tab 1: POST /api/auth/refresh", { status: 200 }, first);
    step(steps, "Tab 2: sent after tab 1's answer this time, with the new token", { status: 200 }, second);
  } else {
    step(steps, "One tab: POST /api/auth/refresh rotates the token", { status: 200 }, first);
    if (grace > 0)
      step(steps, `The other, same token, same moment: answered inside the ${grace} s window`, { status: 200 }, second);
    else step(steps, "The other tab, a moment behind: strict mode calls it reuse", strictLoss, second);
  }
  const familyLives = grace > 0 || !raced;
  const rotations = raced ? 1 : 2;
  step(
    steps,
    familyLives ? "GET /api/lab/refresh-family: the family lives, with one live token" : "GET /api/lab/refresh-family",
    familyLives
      ? {
          status: 200,
          body: {
            holds: (b) => field(b, "family", "generation") === generation + rotations,
            says: `generation ${generation} → ${generation + rotations}: ${raced ? "one new token, not two" : "one per refresh"}`,
          },
        }
      : { status: 200, body: { holds: (b) => field(b, "family") === null, says: "no live family: both tabs lost it" } },
    await lab.call(labRequest("GET", "/api/lab/refresh-family", "GET /api/lab/refresh-family (after)")),
  );
  const other = grace > 0 ? 0 : DEFAULT_GRACE_SECONDS;
  const compared = step(
    steps,
    other === 0
      ? "POST /api/lab/refresh-race: what strict mode (0 s) would have done"
      : `POST /api/lab/refresh-race: what a ${other} s grace window would have done`,
    { status: 200, body: other === 0 ? strictRace : graceRace },
    await lab.call(labRequest("POST", "/api/lab/refresh-race", "POST /api/lab/refresh-race", { graceSeconds: other })),
  );
  if (!familyLives) {
    step(
      steps,
      "POST /api/lab/refresh-family (start over so this page keeps working)",
      { status: 200 },
      await lab.call(
        labRequest("POST", "/api/lab/refresh-family", "POST /api/lab/refresh-family (recover)", { exposeCopy: false }),
      ),
    );
    const trace = await lab.refreshCall("POST /api/auth/refresh (new family)");
    step(steps, "POST /api/auth/refresh (new family)", { status: 200 }, trace);
    adoptToken(lab, trace);
  }
  const seen = describeRace(compared.body);
  if (!raced)
    return {
      steps,
      note: `This time the browser sent the second refresh after the first answer had set the new cookie, so nothing raced; run it again to see the race. In the lab's race ${other === 0 ? "under strict mode" : `with a ${other} s window`} ${seen}.`,
    };
  return {
    steps,
    note:
      grace > 0
        ? `Both tabs were answered: the token just replaced is accepted for ${grace} s and gets the same new token, so the family never forks. In strict mode ${seen}. The dashboard's tabs also take turns (Web Locks), so they rarely race at all.`
        : `Strict mode (REFRESH_REUSE_GRACE_SECONDS=0): the tab a moment behind presented a token just used, which looks exactly like a replay, so the family ended. With a ${other} s window ${seen}.`,
  };
}

export const twoTabs: Experiment = {
  id: "two-tabs",
  title: "Two tabs refresh at once",
  needsSession: true,
  summary:
    "Two real refreshes leave this page at the same moment with the one refresh cookie, as two tabs loading together would. Then the lab runs the same race under the other reuse rule.",
  unavailable: needsLab,
  run,
};
