// The training step recorded once and replayed, as CUDA graphs and torch.compile's capture do:
// our networks and losses are static, so a step makes the same native calls every time. Two
// recorded steps that compile to the same program (replayPlan.ts) make a plan; later steps run
// the plan's calls on the addon directly, without TensorFlow.js' tape, tidy and tensor objects.
// Anything else (host reads, uploads that change, a different batch shape) takes the normal path.
import * as tf from '@tensorflow/tfjs-core';
import { startTrace, stopTrace, type TracedCall } from './callTrace';
import { compileStep, runProgram, sameProgram, type Program, type Ref } from './replayPlan';
import type { TorchBackend } from './torchBackend';

interface StepTensors {
  loss: tf.Scalar;
  correct: tf.Scalar;
}

interface Recording {
  program: Program;
  /** Program.variables resolved to the variables themselves. */
  variables: tf.Variable[];
  outputs: { shape: number[]; dtype: tf.DataType }[];
  /** The persistent tensors the step reads (Ref 'fixed'), with the tfjs entry holding each slot when recorded. */
  fixed: [number, object | undefined][];
}

/** A plan is checked against a normal step this often: a loss may change on hidden JavaScript state. */
const VERIFY_EVERY = 64;
/** Recordings that disagree this often for one batch shape mean the step is not static: stop recording it. */
const MAX_MISMATCHES = 3;
/** Plans, and recordings awaiting their second, kept (batch shapes × learning rates); the oldest goes first. */
const MAX_PLANS = 4;

const env = (globalThis as { process?: { env: Record<string, string | undefined>; stderr?: { write(s: string): void } } }).process;

/** Notes at debug level (NODE_DEBUG=losslab), once per reason. */
function debug(seen: Set<string>, message: string): void {
  if (seen.has(message)) return;
  seen.add(message);
  if (/\blosslab\b/.test(env?.env.NODE_DEBUG ?? '')) env?.stderr?.write(`LOSSLAB: step replay: ${message}\n`);
}

/** The slots of the persistent tensors a program reads. */
function fixedSlots(program: Program): number[] {
  const slots = new Set<number>();
  const visit = (a: unknown): void => {
    if (Array.isArray(a)) a.forEach(visit);
    else if (a && typeof a === 'object' && (a as Ref).kind === 'fixed') slots.add((a as { slot: number }).slot);
  };
  for (const op of program.ops) if (op.kind === 'call') op.args.forEach(visit);
  return [...slots];
}

export class StepReplayer {
  private readonly pending = new Map<string, Recording>();
  private readonly plans = new Map<string, Recording & { sinceCheck: number }>();
  private readonly mismatches = new Map<string, number>();
  private readonly refused = new Map<string, string>();
  private readonly noted = new Set<string>();
  /** Steps replayed so far, and the last reason a step was not (for tests and the bench). */
  replayed = 0;
  lastReason?: string;

  constructor(private readonly backend: TorchBackend) {}

  /** One step: replayed when a plan for `key` (shapes, learning rate) holds, else `normal()`, recorded while the step may still become replayable. */
  step(key: string, x: tf.Tensor, y: tf.Tensor, normal: () => StepTensors): StepTensors {
    if (this.refused.has(key)) return normal();
    const plan = this.plans.get(key);
    if (plan && plan.sinceCheck < VERIFY_EVERY) {
      const out = this.replay(plan, x, y);
      if (out) {
        plan.sinceCheck++;
        this.replayed++;
        return out;
      }
      this.plans.delete(key);
    }
    const { out, recording } = this.record(x, y, normal);
    if (typeof recording === 'string') {
      this.refuse(key, recording);
      return out;
    }
    const before = plan ?? this.pending.get(key);
    if (before && this.same(before, recording)) {
      this.pending.delete(key);
      this.plans.delete(key);
      this.plans.set(key, { ...recording, sinceCheck: 0 });
      if (!plan) debug(this.noted, `replaying ${key.split(' lr=')[0]}: ${recording.program.ops.length} native calls per step`);
      if (this.plans.size > MAX_PLANS) this.plans.delete(this.plans.keys().next().value as string);
      return out;
    }
    this.pending.delete(key);
    this.pending.set(key, recording);
    if (this.pending.size > MAX_PLANS) this.pending.delete(this.pending.keys().next().value as string);
    if (before) {
      this.plans.delete(key);
      const n = (this.mismatches.get(key) ?? 0) + 1;
      this.mismatches.set(key, n);
      if (n >= MAX_MISMATCHES) this.refuse(key, 'its native calls differ from one step to the next');
      else this.note('two steps made different native calls; recording again');
    }
    return out;
  }

  private refuse(key: string, why: string): void {
    this.refused.set(key, why);
    this.pending.delete(key);
    this.note(`not replayed: ${why}`);
  }

  private note(message: string): void {
    this.lastReason = message;
    debug(this.noted, message);
  }

  private same(a: Recording, b: Recording): boolean {
    return a.variables.length === b.variables.length && a.variables.every((v, i) => v === b.variables[i]) && sameProgram(a.program, b.program);
  }

  private record(x: tf.Tensor, y: tf.Tensor, normal: () => StepTensors): { out: StepTensors; recording: Recording | string } {
    const b = this.backend;
    const variables = Object.values(tf.engine().state.registeredVariables);
    const slotsOf = () => variables.map((v) => b.slotOf(v) ?? -1);
    const variablesBefore = slotsOf();
    startTrace();
    let calls: TracedCall[];
    let out: StepTensors;
    try {
      out = normal();
    } finally {
      calls = stopTrace();
    }
    const outputs = [out.loss, out.correct];
    const program = compileStep(calls, { x: b.slotOf(x) ?? -1, y: b.slotOf(y) ?? -1, variablesBefore, variablesAfter: slotsOf(), outputs: outputs.map((t) => b.slotOf(t) ?? -1) });
    if (typeof program === 'string') return { out, recording: program };
    const fixed = fixedSlots(program).map((slot): [number, object | undefined] => [slot, b.holderOf(slot)]);
    if (fixed.some(([, holder]) => !holder)) return { out, recording: 'the step reads a tensor TensorFlow.js does not hold' };
    return { out, recording: { program, variables: program.variables.map((i) => variables[i]), outputs: outputs.map((t) => ({ shape: t.shape, dtype: t.dtype })), fixed } };
  }

  /** The plan's calls on this batch, or null when a tensor it reads is gone. */
  private replay(plan: Recording, x: tf.Tensor, y: tf.Tensor): StepTensors | null {
    const b = this.backend;
    if (plan.fixed.some(([slot, holder]) => b.holderOf(slot) !== holder)) return null;
    const variables: number[] = [];
    for (const v of plan.variables) {
      const slot = v.isDisposed ? undefined : b.slotOf(v);
      if (slot === undefined) return null;
      variables.push(slot);
    }
    const slots = runProgram(b.native, plan.program, { x: b.id(x), y: b.id(y), variables });
    for (const [variable, value] of plan.program.assigned) {
      const v = plan.variables[variable];
      const t = b.adopt(slots[value], v.shape, v.dtype);
      v.assign(t);
      t.dispose();
    }
    const [loss, correct] = plan.program.outputs.map((value, i) => b.adopt(slots[value], plan.outputs[i].shape, plan.outputs[i].dtype));
    return { loss: loss as tf.Scalar, correct: correct as tf.Scalar };
  }
}
