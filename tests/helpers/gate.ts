/**
 * The gate the suites run against: AUTHLAB_GATE (edge by default, or proxy), as the servers they start
 * are built. A test that names the layer that refused a request names this one.
 */
import { selectedGate } from "@/scripts/server/gate.mjs";
import { GATE_LAYERS } from "@/lib/edge/gate/name";

export const TEST_GATE = selectedGate();

/** The trace's name for the gate under test: edge-middleware or node-proxy. */
export const GATE_LAYER = GATE_LAYERS[TEST_GATE];
