import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { verifySession } from "@/lib/server/dal";
import { safeNextPath } from "@/lib/server/http/safe-redirect";
import { AuthPanel } from "@/components/auth-panel";
import { Card } from "@/components/ui/card";
import { SignupForm } from "./components";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignupPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if ((await verifySession()).status === "signed-in") redirect(next);

  return (
    <AuthPanel
      title="Create an account"
      subtitle="Your password is hashed with argon2id (19 MiB, 2 passes): only the hash is stored, and the password is never logged."
      aside={
        <>
          <Card as="div">
            <h2 className="text-sm font-semibold">What happens when you sign up</h2>
            <ol className="mt-3 list-decimal space-y-2 pl-5 text-sm text-slate-700">
              <li>The server creates a session record and sends an encrypted, HttpOnly cookie that names it.</li>
              <li>It also starts a refresh-token family (a second HttpOnly cookie, only sent to /api/auth).</li>
              <li>The dashboard trades that for a short-lived JWT it keeps in memory.</li>
            </ol>
          </Card>
          <p className="text-sm text-slate-600">
            Already have an account?{" "}
            <Link
              href={`/login?next=${encodeURIComponent(next)}`}
              className="font-semibold text-indigo-700 underline-offset-2 hover:underline"
            >
              Sign in
            </Link>
          </p>
        </>
      }
    >
      <SignupForm next={next} />
    </AuthPanel>
  );
}
