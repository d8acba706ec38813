import { decodeJwt } from "@/lib/ui/lab/jwt-parts";

/** A DPoP proof's header (alg, typ, the public jwk) and claims (htm, htu, iat, jti, ath), decoded. */
export function DecodedProof({ proof }: { proof: string }) {
  const decoded = decodeJwt(proof);
  if (!decoded) return <p className="text-xs text-slate-600">(not a JWT)</p>;
  return (
    <div className="grid gap-2 sm:grid-cols-2">
      <pre
        className="whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs"
        aria-label="proof header"
      >
        {JSON.stringify(decoded.header, null, 2)}
      </pre>
      <pre
        className="whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs"
        aria-label="proof claims"
      >
        {JSON.stringify(decoded.payload, null, 2)}
      </pre>
    </div>
  );
}
