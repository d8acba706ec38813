/**
 * What an experiment is: a card (title, what it shows, when it can run) and either a list of declared
 * steps — each a request, the outcome the design predicts for it and the layer that must answer — run
 * by runner.ts, or, where an experiment must be written by hand (two tabs racing, a real restart), its
 * own `run`. Adding an experiment is adding one file beside this one and a line in index.ts.
 */
import type { Trace } from "@/lib/ui/lab/trace";
import type { Lab, LabRequest } from "../components/use-lab";
import type { Expectation, Outcome, StepResult } from "./kit";

/** What a card hands its experiment when the reader presses Run. */
export interface RunInput {
  lab: Lab;
  progress: (message: string | null) => void;
  /** The tamper experiment's edited claims. */
  input?: string;
}

/** A run in progress: the input plus what the steps have kept so far (`vars`). */
export interface RunContext<V> extends RunInput {
  vars: V;
}

/** A request through the page's own fetch (lab.call), or the page's own refresh (lab.refreshCall). */
export type StepRequest = LabRequest | { refresh: string };

type Computed<V, T> = T | ((context: RunContext<V>) => T);

export interface Step<V> {
  label: Computed<V, string>;
  request: (context: RunContext<V>) => StepRequest | Promise<StepRequest>;
  expect: Computed<V, Expectation>;
  /** Waits before the request (until a token has expired, say), reporting through `progress`. */
  before?: (context: RunContext<V>) => Promise<void>;
  /** Keeps what later steps need from this answer. */
  keep?: (context: RunContext<V>, trace: Trace) => void;
  /** The step runs only when this holds (e.g. only when a second key is listed). */
  when?: (context: RunContext<V>) => boolean;
}

interface Card {
  id: string;
  title: string;
  summary: string;
  warning?: string;
  /**
   * Whether it needs this browser's session (a lab endpoint, a refresh, or a session call). Those
   * that need only the access token in the page still run after an experiment has ended the session.
   */
  needsSession: boolean;
  /** Why it cannot run here, if it cannot. */
  unavailable?: (lab: Lab) => string | null;
}

export interface DeclaredExperiment<V> extends Card {
  /** The run's starting values (a key, the role to restore); none by default. */
  setup?: (input: RunInput) => V | Promise<V>;
  steps: Step<V>[];
  /** After the last step: what the page records from the run (the comparison's measurements). */
  finish?: (context: RunContext<V>, steps: StepResult[]) => void | Promise<void>;
  note: string | ((context: RunContext<V>, steps: StepResult[]) => string);
}

/** What the dashboard runs: declared experiments are turned into this by runner.ts. */
export interface Experiment extends Card {
  run: (input: RunInput) => Promise<Outcome>;
}
