/** A port nothing listens on right now, on loopback. */
export { freeLoopbackPort as freePort } from "@/scripts/lib/ports";
