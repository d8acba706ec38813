/**
 * A request with a Host header of the test's choosing. fetch() always sends the URL's host (Host is a
 * forbidden request header in the Fetch standard), so what a DNS-rebinding page makes a browser send
 * — a foreign name that resolves to this server — needs node:http.
 */
import http from "node:http";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export function requestWithHost(
  url: string,
  host: string,
  options: { method?: string; headers?: Record<string, string>; json?: unknown } = {},
): Promise<RawResponse> {
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = { ...options.headers, host };
  if (payload !== undefined) headers["content-type"] = "application/json";
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? "GET", headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body });
      });
    });
    request.on("error", reject);
    request.end(payload);
  });
}
