/** Two overlapping keys: one kept by the server (session), one carried by the client (token). */
export function Logo({ className = "h-7 w-7" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true" focusable="false">
      <rect x="2" y="6" width="18" height="18" rx="5" className="fill-session-600" />
      <rect x="12" y="8" width="18" height="18" rx="5" className="fill-jwt-600" opacity="0.9" />
      <circle cx="21" cy="17" r="3.2" className="fill-white" />
      <path d="M11 15h5" className="stroke-white" strokeWidth="2.4" strokeLinecap="round" />
    </svg>
  );
}
