"use client";

import { useEffect } from "react";
import { tellOtherTabs } from "@/lib/ui/session/ended";

/**
 * Rendered where a sign-out lands (/login?signedOut=…): the other tabs of this browser ask the server
 * whether their session (the same cookie) still exists, and stop showing the signed-in state.
 */
export function TellOtherTabs() {
  useEffect(() => tellOtherTabs(), []);
  return null;
}
