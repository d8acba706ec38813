/**
 * Open redirects through `next` (OWASP Unvalidated Redirects and Forwards). A
 * value that looks like a path can become `//evil.example` once dot segments are removed
 * (`/.//evil.example` → `//evil.example`), so what is checked must be what is returned. Every way to
 * spell a dot segment, a slash or a backslash, on both pages and in both sign-in server actions.
 */
import { describe, expect, it } from "vitest";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { hiddenFields, submitPageForm } from "../helpers/forms";
import { useAppServer } from "../helpers/use-app-server";

const server = useAppServer();

/** `next` values as the page receives them (already percent-decoded once from the query string). */
const HOSTILE_NEXT = [
  "/.//evil.example/phish",
  "/././/evil.example/phish",
  "/..//evil.example/phish",
  "/a/..//evil.example/phish",
  "/%2e//evil.example/phish",
  "/%2E//evil.example/phish",
  "/%2e%2e//evil.example/phish",
  "/.%2e//evil.example/phish",
  "/%2e./%2e%2e//evil.example/phish",
  "/.%2F/evil.example/phish",
  "/.%2f%2fevil.example/phish",
  "/%2F%2Fevil.example/phish",
  "/%252e//evil.example/phish",
  "/%5C/evil.example/phish",
  "/%5c%5cevil.example/phish",
  "/.\\/evil.example/phish",
  "/\\/evil.example/phish",
  "\\\\evil.example/phish",
  "/\t/evil.example/phish",
  "/.\n/evil.example/phish",
  "/\r\n/evil.example/phish",
  "/\u0000/evil.example/phish",
  " //evil.example/phish",
  "//evil.example/phish",
  "///evil.example/phish",
  "/\uff0f\uff0fevil.example/phish",
  "https:evil.example/phish",
  "https://evil.example/phish",
  "javascript:alert(1)",
  "/.//evil.example/phish?x=1#frag",
];

/** Where a browser goes for this Location: it must be this site. */
function expectSameSite(location: string | null | undefined) {
  expect(location).toBeTruthy();
  const target = new URL(location!, server.url);
  expect(target.origin, `Location ${JSON.stringify(location)}`).toBe(new URL(server.url).origin);
  // Not a network-path reference either, however a browser might read the slashes.
  expect(location!.replace(new URL(server.url).origin, "")).not.toMatch(/^[\s\\/]*[\\/][\\/]/);
}

const query = (next: string) => `?next=${encodeURIComponent(next)}`;

describe("next= on the pages, when already signed in (307 to next)", () => {
  it.each(["/login", "/signup"])("%s never redirects off the site", async (page) => {
    const c = new Client(server.url);
    await signUp(c);
    for (const next of HOSTILE_NEXT) {
      const response = await c.get(page + query(next));
      expect(response.status, JSON.stringify(next)).toBe(307);
      expectSameSite(response.headers.get("location"));
    }
  });

  it("still follows a plain same-site next", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const response = await c.get(`/login${query("/sessions?tab=all")}`);
    expect(response.headers.get("location")).toMatch(/\/sessions\?tab=all$/);
  });
});

describe("next= in the sign-in forms, when signed out", () => {
  it.each(["/login", "/signup"])("%s renders only a same-site next into its form", async (page) => {
    for (const next of HOSTILE_NEXT) {
      const rendered = await new Client(server.url).get(page + query(next));
      expect(rendered.status).toBe(200);
      expectSameSite(hiddenFields(rendered.text).get("next"));
    }
  });
});

describe("next= posted to the server actions (the no-JavaScript forms)", () => {
  it("the sign-in action never redirects off the site", async () => {
    const { email } = await signUp(new Client(server.url));
    for (const next of HOSTILE_NEXT) {
      const posted = await submitPageForm(new Client(server.url), "/login", { email, password: GOOD_PASSWORD, next });
      expect(posted.status, JSON.stringify(next)).toBe(303);
      expectSameSite(posted.location);
    }
  });

  it("the sign-up action never redirects off the site", async () => {
    for (const next of HOSTILE_NEXT) {
      const posted = await submitPageForm(new Client(server.url), "/signup", {
        email: uniqueEmail("redirect"),
        password: GOOD_PASSWORD,
        next,
      });
      expect(posted.status, JSON.stringify(next)).toBe(303);
      expectSameSite(posted.location);
    }
  });

  it("and still follows a plain same-site next", async () => {
    const { email } = await signUp(new Client(server.url));
    const posted = await submitPageForm(new Client(server.url), "/login", {
      email,
      password: GOOD_PASSWORD,
      next: "/sessions",
    });
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(/\/sessions$/);
  });
});
