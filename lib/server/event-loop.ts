/**
 * Long housekeeping (the maintenance sweep) gives way between steps, so requests that arrived meanwhile
 * run before the next step rather than after the whole job. `setImmediate` runs after pending I/O
 * callbacks (nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick).
 */
import "server-only";

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
