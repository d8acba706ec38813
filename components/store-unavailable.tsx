import { Alert } from "@/components/ui/alert";

/** What a signed-in page shows while the session store is down: the session flow fails closed. */
export function StoreUnavailable({ message }: { message: string }) {
  return (
    <div className="mx-auto max-w-2xl space-y-4" data-testid="store-unavailable">
      <h1 className="text-2xl font-bold tracking-tight">Session store unavailable</h1>
      <Alert tone="error">{message.charAt(0).toUpperCase() + message.slice(1)}.</Alert>
      <p className="text-sm text-slate-700">
        This is the session design&apos;s single point of failure: without the store, no page can tell who you are, so
        it refuses rather than guess. Requests that carry a JWT keep working — they need no store. Try again when the
        store is back; nothing needs a restart.
      </p>
    </div>
  );
}
