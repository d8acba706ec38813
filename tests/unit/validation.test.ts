import { describe, expect, it } from "vitest";
import { loginSchema, normaliseEmail, signupSchema } from "@/lib/server/auth/validation";
import { describeIssues } from "@/lib/server/http/describe-issues";

describe("sign-up input", () => {
  it("normalises the email (trim, lower case)", () => {
    expect(signupSchema.parse({ email: "  Alice@Example.COM ", password: "x".repeat(8) }).email).toBe(
      "alice@example.com",
    );
    expect(normaliseEmail("Alice@X.test")).toBe(normaliseEmail("alice@x.test"));
  });

  it.each([
    ["no @", "alice.example.com"],
    ["no domain", "alice@"],
    ["spaces inside", "al ice@example.com"],
    ["too long", `${"a".repeat(250)}@x.io`],
    ["empty", ""],
  ])("rejects an email with %s", (_label, email) => {
    expect(signupSchema.safeParse({ email, password: "x".repeat(8) }).success).toBe(false);
  });

  it("counts password length in characters as the user sees them (8 emoji are 8 characters)", () => {
    expect(signupSchema.safeParse({ email: "a@b.test", password: "😀".repeat(8) }).success).toBe(true);
    expect(signupSchema.safeParse({ email: "a@b.test", password: "😀".repeat(7) }).success).toBe(false);
    expect(signupSchema.safeParse({ email: "a@b.test", password: "😀".repeat(128) }).success).toBe(true);
    expect(signupSchema.safeParse({ email: "a@b.test", password: "😀".repeat(129) }).success).toBe(false);
  });

  it("refuses unknown fields (no mass assignment of role)", () => {
    const result = signupSchema.safeParse({ email: "a@b.test", password: "x".repeat(8), role: "ADMIN" });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.error)).toBe("unexpected field: role");
  });

  it("trims the name and refuses control characters", () => {
    expect(signupSchema.parse({ email: "a@b.test", password: "x".repeat(8), name: "  Ada  " }).name).toBe("Ada");
    expect(signupSchema.safeParse({ email: "a@b.test", password: "x".repeat(8), name: "Ada\u0000" }).success).toBe(
      false,
    );
  });

  it("says which field is missing", () => {
    const result = loginSchema.safeParse({ email: "a@b.test" });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.error)).toBe("password is required");
  });
});
