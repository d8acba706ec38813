import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/edge/errors";
import { MAX_JSON_BODY_BYTES, readJson } from "@/lib/server/http/read-json";

const schema = z.strictObject({ name: z.string() });

function request(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) {
  return new Request("http://x.test/", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe("readJson", () => {
  it("parses and validates a JSON object", async () => {
    expect(await readJson(request('{"name":"ada"}'), schema)).toEqual({ name: "ada" });
    expect(
      await readJson(request('{"name":"ada"}', { "content-type": "application/json; charset=utf-8" }), schema),
    ).toEqual({ name: "ada" });
  });

  it("answers each kind of bad body with its own stable code", async () => {
    expect(await codeOf(readJson(request("{"), schema))).toBe("invalid_json");
    expect(await codeOf(readJson(request("[1]"), schema))).toBe("invalid_request");
    expect(await codeOf(readJson(request('{"name":1}'), schema))).toBe("invalid_request");
    expect(await codeOf(readJson(request('{"name":"a"}', { "content-type": "text/plain" }), schema))).toBe(
      "unsupported_media_type",
    );
    expect(await codeOf(readJson(request(new Uint8Array([0x22, 0xc3, 0x28, 0x22])), schema))).toBe("invalid_json");
    expect(await codeOf(readJson(request(null), schema))).toBe("invalid_json");
  });

  it("stops at the limit: a declared oversize length fails before any reading", async () => {
    const req = request('{"name":"a"}', {
      "content-type": "application/json",
      "content-length": String(MAX_JSON_BODY_BYTES + 1),
    });
    expect(await codeOf(readJson(req, schema))).toBe("payload_too_large");
    expect(req.bodyUsed).toBe(false);
  });

  it("stops reading a streamed body as soon as it passes the limit", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(4096).fill(0x20));
      },
    });
    expect(await codeOf(readJson(request(stream), schema))).toBe("payload_too_large");
    expect(pulled).toBeLessThanOrEqual(MAX_JSON_BODY_BYTES / 4096 + 2);
  });

  it("accepts a body of exactly the limit", async () => {
    const padding = " ".repeat(MAX_JSON_BODY_BYTES - '{"name":"a"}'.length);
    expect(await readJson(request(`{"name":"a"}${padding}`), schema)).toEqual({ name: "a" });
  });
});
