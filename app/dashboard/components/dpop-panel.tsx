"use client";

import { useState } from "react";
import { decodeJwt } from "@/lib/ui/lab/jwt-parts";
import { boundJktOf } from "@/lib/ui/dpop/proof";
import { Alert } from "@/components/ui/alert";
import { Fact, Panel } from "./panel";
import { DecodedProof } from "./decoded-proof";
import type { Lab } from "./use-lab";

/** What the token in this page is bound to, in words. */
function bindingOf(lab: Lab): { text: string; bound: boolean } {
  const jkt = lab.token ? boundJktOf(decodeJwt(lab.token)?.payload) : null;
  if (!jkt) return { text: "not bound: a Bearer token, good for whoever holds it", bound: false };
  if (jkt === lab.dpop.key?.jkt) return { text: "bound to this key (cnf.jkt = its thumbprint)", bound: true };
  return { text: "bound to another key", bound: true };
}

/**
 * The DPoP half of the JWT column: the switch, the key (its thumbprint, and proof that script cannot
 * export it), whether the current token is bound, and the last proof sent, decoded.
 */
export function DpopPanel({ lab }: { lab: Lab }) {
  const { dpop } = lab;
  /** The position the user asked for, shown at once while the switch does its requests. */
  const [wanted, setWanted] = useState<boolean | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const busy = wanted !== null;
  const binding = bindingOf(lab);
  // Leaving DPoP means a new refresh family: a bound family never refreshes without its key.
  const leavingNeedsLab = binding.bound && !lab.props.lab.open;
  const locked = dpop.required || dpop.status !== "ready" || busy || (dpop.enabled && leavingNeedsLab);

  async function toggle(on: boolean) {
    setWanted(on);
    setFailure(null);
    try {
      setFailure(await lab.switchDpop(on));
    } finally {
      setWanted(null);
    }
  }

  return (
    <Panel title="Bound to this browser (DPoP)" tone="jwt" id="dpop-heading" testId="dpop-panel">
      <p className="text-xs text-slate-700">
        With DPoP (RFC 9449) the token names a key (<code>cnf.jkt</code>) and every request carries a fresh proof signed
        by it. The private key is a WebCrypto key that cannot be exported: a copy of the token alone is useless
        elsewhere. Script in this page can still use the key — DPoP does not stop XSS, it stops a stolen token.
      </p>
      <label className="flex items-center gap-3 text-sm font-medium">
        <input
          type="checkbox"
          role="switch"
          className="h-5 w-9 accent-jwt-700"
          checked={wanted ?? dpop.enabled}
          disabled={locked}
          onChange={(e) => void toggle(e.target.checked)}
          data-testid="dpop-switch"
          aria-describedby="dpop-switch-note"
        />
        Bind the token to this browser&apos;s key
      </label>
      <p id="dpop-switch-note" className="text-xs text-slate-600">
        {dpop.required
          ? "This server requires DPoP (DPOP_REQUIRED): the switch stays on."
          : dpop.status === "unavailable"
            ? `Unavailable here: ${dpop.problem}.`
            : dpop.enabled && leavingNeedsLab
              ? "Turning it off needs a new refresh family, which the lab endpoints make (development, or admins)."
              : "Every tab of this site follows the switch and shares the one key."}
      </p>
      {failure ? <Alert tone="warning">Could not switch: {failure}</Alert> : null}
      {dpop.key ? (
        <dl className="space-y-1.5">
          <Fact label="key">ES256 (P-256), kept in IndexedDB</Fact>
          <Fact label="private key extractable" testId="dpop-extractable">
            {dpop.key.keyPair.privateKey.extractable ? "yes" : "no — usable by script, never readable"}
          </Fact>
          <Fact label="thumbprint (jkt)" testId="dpop-jkt">
            <span className="break-all">{dpop.key.jkt}</span>
          </Fact>
          <Fact label="this token" testId="dpop-binding">
            {binding.text}
          </Fact>
        </dl>
      ) : dpop.status === "loading" ? (
        <p className="text-slate-600">Loading the key…</p>
      ) : null}
      {dpop.lastProof ? (
        <div data-testid="dpop-last-proof">
          <p className="mb-1 text-xs font-medium text-slate-700">The last proof this page sent, decoded</p>
          <DecodedProof proof={dpop.lastProof} />
        </div>
      ) : null}
    </Panel>
  );
}
