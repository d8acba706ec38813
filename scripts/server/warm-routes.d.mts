export function warmRoutes(
  origin: string,
): Promise<{ ms: number; requests: number; failed: number; healthWhileWarming: string | null }>;
