import { handle, json } from "@/lib/http/respond";
import { readJson } from "@/lib/http/read-json";
import { assertSameOrigin } from "@/lib/http/csrf";
import { requestContext } from "@/lib/http/request-context";
import { signupSchema } from "@/lib/auth/validation";
import { signUp, signedInBody } from "@/lib/auth/sign-in";
import { applyCookies, signInCookies } from "@/lib/auth/auth-cookies";

export const POST = handle(async (request: Request) => {
  assertSameOrigin(request.headers);
  const input = await readJson(request, signupSchema);
  const context = requestContext(request.headers);
  const signedIn = await signUp(input, context);
  const response = json(signedInBody(signedIn), { status: 201 });
  applyCookies(response.cookies, await signInCookies(signedIn, context.secure));
  return response;
});
