/** How a rejected request body is described to its sender: the first problem zod found, in words. */
import "server-only";
import type { z } from "zod";

/** The first problem, phrased for a person, with the field it concerns. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "the request body is invalid";
  if (issue.code === "unrecognized_keys") return `unexpected field: ${issue.keys.join(", ")}`;
  const field = issue.path.join(".");
  if (issue.code === "invalid_type" && issue.input === undefined) return `${field} is required`;
  return issue.message;
}
