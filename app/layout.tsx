import type { Metadata, Viewport } from "next";
import { SiteHeader } from "@/components/site-header";
import { verifySession } from "@/lib/server/dal";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "authlab — sessions and JWTs, side by side", template: "%s · authlab" },
  description: "Sign in once and watch how a server recognises you with a session cookie and with a JWT, live.",
  // Served from public/; browsers that ignore the SVG still find /favicon.ico.
  icons: {
    icon: [
      { url: "/icon.svg", type: "image/svg+xml" },
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
    ],
  },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const check = await verifySession();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <SiteHeader
          account={
            check.status === "signed-in"
              ? { status: "signed-in", user: check.user }
              : { status: check.status === "unavailable" ? "unavailable" : "signed-out" }
          }
        />
        <main id="main" className="mx-auto w-full max-w-6xl px-4 pb-16 pt-8 sm:px-6">
          {children}
        </main>
      </body>
    </html>
  );
}
