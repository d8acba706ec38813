/**
 * Submitting a page's form the way a browser without JavaScript does: the hidden fields React
 * rendered for the server action, plus the visible ones, posted as multipart/form-data to the page.
 */
import type { Client } from "./http-client";

const ENTITIES: Record<string, string> = { "&quot;": '"', "&amp;": "&", "&#x27;": "'", "&lt;": "<", "&gt;": ">" };

function decodeAttribute(value: string): string {
  return value.replace(/&(quot|amp|#x27|lt|gt);/g, (entity) => ENTITIES[entity]!);
}

/** The hidden inputs of the page's first form, by name. */
export function hiddenFields(html: string): Map<string, string> {
  const form = /<form\b[\s\S]*?<\/form>/.exec(html)?.[0];
  if (!form) throw new Error("the page has no form");
  const fields = new Map<string, string>();
  for (const [input] of form.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    if (name === undefined) continue;
    fields.set(decodeAttribute(name), decodeAttribute(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? ""));
  }
  return fields;
}

export interface FormSubmission {
  status: number;
  location: string | null;
}

/** GETs `page`, then posts its form with `fields` (overriding hidden ones, e.g. `next`) as a same-origin browser. */
export async function submitPageForm(
  client: Client,
  page: string,
  fields: Record<string, string>,
): Promise<FormSubmission> {
  const rendered = await client.get(page);
  const form = new FormData();
  for (const [name, value] of hiddenFields(rendered.text)) form.set(name, value);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const response = await fetch(client.baseUrl + page, {
    method: "POST",
    body: form,
    headers: { origin: client.baseUrl, "sec-fetch-site": "same-origin" },
    redirect: "manual",
  });
  await response.arrayBuffer();
  return { status: response.status, location: response.headers.get("location") };
}
