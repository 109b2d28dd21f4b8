// A recorded training step as a program over the engine's native calls: tensor slots become value
// numbers (what the step computes, in order) or references to what it reads from outside (the
// batch, the variables, persistent tensors), so that the same step runs again on new slots.
import { SIGNATURES, type TracedCall, type TracedName } from './callTrace';
import type { TorchNative } from './torchAddon';

/** Where a tensor argument comes from. */
export type Ref =
  | { kind: 'value'; index: number } // computed earlier in the step
  | { kind: 'x' }
  | { kind: 'y' }
  | { kind: 'var'; index: number } // a variable, by its index in Program.variables
  | { kind: 'fixed'; slot: number }; // a tensor that outlives the steps (it must be the same slot in both recordings)

/** A tensor reference where the signature has one, else the value as recorded (null: an absent optional tensor). */
type Arg = unknown;

type Op = { kind: 'call'; fn: TracedName; args: Arg[]; produces: number[] } | { kind: 'free'; value: number };

export interface Program {
  ops: Op[];
  values: number;
  /** Indices, into the recording's variable list, of the variables the step reads or assigns. */
  variables: number[];
  /** The value of each tensor the step returns. */
  outputs: number[];
  /** [variable, value]: variables the step assigns a tensor it computed (BN running statistics, centres). */
  assigned: [number, number][];
}

/** Slots at the edges of one recorded step. */
export interface StepSlots {
  x: number;
  y: number;
  /** The slot of every variable before and after the step (-1: not on this backend). */
  variablesBefore: number[];
  variablesAfter: number[];
  outputs: number[];
}

class NotReplayable extends Error {}

/** The step as a Program, or why it cannot be replayed. */
export function compileStep(calls: readonly TracedCall[], slots: StepSlots): Program | string {
  try {
    return new Compiler(slots).compile(calls);
  } catch (err) {
    if (err instanceof NotReplayable) return err.message;
    throw err;
  }
}

class Compiler {
  private readonly live = new Map<number, number>(); // slot → value
  private readonly varOfSlot = new Map<number, number>();
  private readonly localVar = new Map<number, number>(); // recording's variable index → Program.variables index
  private readonly freedVars = new Set<number>();
  private readonly program: Program = { ops: [], values: 0, variables: [], outputs: [], assigned: [] };

  constructor(private readonly slots: StepSlots) {
    slots.variablesBefore.forEach((s, i) => s >= 0 && this.varOfSlot.set(s, i));
  }

  compile(calls: readonly TracedCall[]): Program {
    for (const call of calls) this.call(call);
    const p = this.program;
    p.outputs = this.slots.outputs.map((s) => this.valueAt(s, 'returns a tensor it did not compute'));
    this.slots.variablesAfter.forEach((after, i) => {
      const computed = this.live.get(after);
      if (computed !== undefined) p.assigned.push([this.variable(i), computed]);
      else if (after !== this.slots.variablesBefore[i] || this.freedVars.has(i)) throw new NotReplayable('a variable changed to a tensor from outside the step');
    });
    const kept = new Set([...p.outputs, ...p.assigned.map(([, value]) => value)]);
    const extra = [...this.live.values()].filter((value) => !kept.has(value)).length;
    if (extra) throw new NotReplayable(`the step keeps ${extra} tensor(s) beyond its outputs and variables`);
    return p;
  }

  private call({ fn, args, result }: TracedCall): void {
    const sig = SIGNATURES[fn];
    if (sig.result === 'host') throw new NotReplayable('the step reads a tensor back to the host');
    if (sig.result === 'query') return;
    if (fn === 'free') return this.free(args[0] as number);
    const mapped = args.map((a, i): Arg => {
      const kind = sig.args[i];
      if (kind === 'id') return this.ref(a as number);
      if (kind === 'optId') return (a as number) < 0 ? null : this.ref(a as number);
      if (kind === 'ids') return (a as number[]).map((s) => this.ref(s));
      return a;
    });
    const out = sig.result === 'id' ? [result as number] : sig.result === 'ids' ? (result as number[]) : [];
    const produces = out.map((slot) => {
      const value = this.program.values++;
      this.live.set(slot, value);
      return value;
    });
    this.program.ops.push({ kind: 'call', fn, args: mapped, produces });
  }

  private free(slot: number): void {
    const value = this.live.get(slot);
    if (value !== undefined) {
      this.live.delete(slot);
      this.program.ops.push({ kind: 'free', value });
      return;
    }
    // A variable's old tensor, freed by its assign: replay assigns in JavaScript, which frees it.
    const variable = this.varOfSlot.get(slot);
    if (variable === undefined || this.freedVars.has(variable)) throw new NotReplayable('the step frees a tensor from outside it');
    this.freedVars.add(variable);
  }

  private ref(slot: number): Ref {
    const value = this.live.get(slot);
    if (value !== undefined) return { kind: 'value', index: value };
    if (slot === this.slots.x) return { kind: 'x' };
    if (slot === this.slots.y) return { kind: 'y' };
    const variable = this.varOfSlot.get(slot);
    if (variable !== undefined) {
      if (this.freedVars.has(variable)) throw new NotReplayable('the step reads a freed tensor');
      return { kind: 'var', index: this.variable(variable) };
    }
    return { kind: 'fixed', slot };
  }

  private variable(index: number): number {
    let local = this.localVar.get(index);
    if (local === undefined) {
      local = this.program.variables.push(index) - 1;
      this.localVar.set(index, local);
    }
    return local;
  }

  private valueAt(slot: number, why: string): number {
    const value = this.live.get(slot);
    if (value === undefined) throw new NotReplayable(why);
    return value;
  }
}

/** Whether two recordings are the same step: the same calls, arguments, uploaded bytes and slots read. */
export function sameProgram(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return sameBytes(a as ArrayBufferView, b as ArrayBufferView);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => sameProgram((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.every((byte, i) => byte === y[i]);
}

/** The step's inputs at replay: the batch's slots and each of Program.variables' current slot. */
export interface ReplayInputs {
  x: number;
  y: number;
  variables: number[];
}

/** Runs the program's calls on the addon and returns the slot of every value (freed ones included). */
export function runProgram(native: TorchNative, program: Program, inputs: ReplayInputs): Int32Array {
  const slots = new Int32Array(program.values);
  const resolve = (r: Ref): number => {
    switch (r.kind) {
      case 'value':
        return slots[r.index];
      case 'var':
        return inputs.variables[r.index];
      case 'x':
        return inputs.x;
      case 'y':
        return inputs.y;
      case 'fixed':
        return r.slot;
    }
  };
  const addon = native as unknown as Record<TracedName, (...args: unknown[]) => unknown>;
  for (const op of program.ops) {
    if (op.kind === 'free') {
      native.free(slots[op.value]);
      continue;
    }
    const kinds = SIGNATURES[op.fn].args;
    const args = op.args.map((a, i) => {
      const kind = kinds[i];
      if (kind === 'id') return resolve(a as Ref);
      if (kind === 'optId') return a === null ? -1 : resolve(a as Ref);
      if (kind === 'ids') return (a as Ref[]).map(resolve);
      return a;
    });
    const result = addon[op.fn](...args);
    if (op.produces.length === 1 && typeof result === 'number') slots[op.produces[0]] = result;
    else op.produces.forEach((value, j) => (slots[value] = (result as number[])[j]));
  }
  return slots;
}
