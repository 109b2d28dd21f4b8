/**
 * Types for the part of @tensorflow/tfjs-core a Loss Lab loss module uses: tensors, variables and the
 * ops a loss is written with. New Loss copies this file next to the module (losses/types/) with a
 * tsconfig.json that maps '@tensorflow/tfjs-core' here, so the editor checks the module without an
 * npm install. At run time the module gets the worker's own tfjs-core, which has all of these and more.
 */

export type DataType = 'float32' | 'int32' | 'bool' | 'complex64' | 'string';
export type TypedArray = Float32Array | Int32Array | Uint8Array;
export type NumericArray = number | number[] | number[][] | number[][][] | number[][][][];
export type TensorLike = TypedArray | NumericArray | boolean | boolean[] | boolean[][];

export declare enum Rank {
  R0 = 'R0',
  R1 = 'R1',
  R2 = 'R2',
  R3 = 'R3',
  R4 = 'R4',
}

export interface ShapeMap {
  R0: number[];
  R1: [number];
  R2: [number, number];
  R3: [number, number, number];
  R4: [number, number, number, number];
}

export declare class Tensor<R extends Rank = Rank> {
  readonly shape: ShapeMap[R];
  readonly dtype: DataType;
  readonly size: number;
  readonly rank: number;
  readonly isDisposed: boolean;
  /** Copies the values to the CPU; the result is a constant to autodiff. */
  dataSync(): TypedArray;
  data(): Promise<TypedArray>;
  arraySync(): unknown;
  array(): Promise<unknown>;
  clone<T extends Tensor>(this: T): T;
  dispose(): void;
  print(verbose?: boolean): void;
  toString(verbose?: boolean): string;
}

export type Scalar = Tensor<Rank.R0>;
export type Tensor1D = Tensor<Rank.R1>;
export type Tensor2D = Tensor<Rank.R2>;
export type Tensor3D = Tensor<Rank.R3>;
export type Tensor4D = Tensor<Rank.R4>;

export declare class Variable<R extends Rank = Rank> extends Tensor<R> {
  readonly name: string;
  trainable: boolean;
  assign(newValue: Tensor<R>): void;
}

export type TensorContainer = void | Tensor | string | number | boolean | TensorContainer[] | { [key: string]: TensorContainer } | Float32Array | Int32Array | Uint8Array;
type In = Tensor | TensorLike;
type Axis = number | number[];

// Memory: intermediate tensors of fn are freed when it returns; returned ones are kept.
export declare function tidy<T extends TensorContainer>(fn: () => T): T;
export declare function tidy<T extends TensorContainer>(name: string, fn: () => T): T;
export declare function keep<T extends Tensor>(result: T): T;
export declare function dispose(container: TensorContainer): void;
export declare function memory(): { numTensors: number; numBytes: number };

// Creation.
export declare function scalar(value: number | boolean, dtype?: DataType): Scalar;
export declare function tensor<R extends Rank = Rank>(values: TensorLike, shape?: number[], dtype?: DataType): Tensor<R>;
export declare function tensor1d(values: TensorLike, dtype?: DataType): Tensor1D;
export declare function tensor2d(values: TensorLike, shape?: [number, number], dtype?: DataType): Tensor2D;
export declare function variable<R extends Rank>(initialValue: Tensor<R>, trainable?: boolean, name?: string, dtype?: DataType): Variable<R>;
export declare function zeros<R extends Rank>(shape: ShapeMap[R], dtype?: DataType): Tensor<R>;
export declare function ones<R extends Rank>(shape: ShapeMap[R], dtype?: DataType): Tensor<R>;
export declare function fill<R extends Rank>(shape: ShapeMap[R], value: number, dtype?: DataType): Tensor<R>;
export declare function zerosLike<T extends Tensor>(x: T | TensorLike): T;
export declare function onesLike<T extends Tensor>(x: T | TensorLike): T;
export declare function range(start: number, stop: number, step?: number, dtype?: 'float32' | 'int32'): Tensor1D;
export declare function eye(numRows: number, numColumns?: number, batchShape?: number[], dtype?: DataType): Tensor2D;
export declare function oneHot(indices: Tensor | TensorLike, depth: number, onValue?: number, offValue?: number, dtype?: DataType): Tensor;

// Element-wise arithmetic (broadcasting as NumPy does).
export declare function add<T extends Tensor>(a: In, b: In): T;
export declare function sub<T extends Tensor>(a: In, b: In): T;
export declare function mul<T extends Tensor>(a: In, b: In): T;
export declare function div<T extends Tensor>(a: In, b: In): T;
export declare function pow<T extends Tensor>(base: In, exp: In): T;
export declare function maximum<T extends Tensor>(a: In, b: In): T;
export declare function minimum<T extends Tensor>(a: In, b: In): T;
export declare function squaredDifference<T extends Tensor>(a: In, b: In): T;
export declare function neg<T extends Tensor>(x: T | TensorLike): T;
export declare function abs<T extends Tensor>(x: T | TensorLike): T;
export declare function exp<T extends Tensor>(x: T | TensorLike): T;
export declare function log<T extends Tensor>(x: T | TensorLike): T;
export declare function log1p<T extends Tensor>(x: T | TensorLike): T;
export declare function sqrt<T extends Tensor>(x: T | TensorLike): T;
export declare function square<T extends Tensor>(x: T | TensorLike): T;
export declare function reciprocal<T extends Tensor>(x: T | TensorLike): T;
export declare function sign<T extends Tensor>(x: T | TensorLike): T;
export declare function cos<T extends Tensor>(x: T | TensorLike): T;
export declare function sin<T extends Tensor>(x: T | TensorLike): T;
export declare function acos<T extends Tensor>(x: T | TensorLike): T;
export declare function tanh<T extends Tensor>(x: T | TensorLike): T;
export declare function sigmoid<T extends Tensor>(x: T | TensorLike): T;
export declare function relu<T extends Tensor>(x: T | TensorLike): T;
export declare function softplus<T extends Tensor>(x: T | TensorLike): T;
export declare function clipByValue<T extends Tensor>(x: T | TensorLike, clipValueMin: number, clipValueMax: number): T;
export declare function cast<T extends Tensor>(x: T | TensorLike, dtype: DataType): T;

// Comparisons and selection (the results are bool tensors).
export declare function equal<T extends Tensor>(a: In, b: In): T;
export declare function notEqual<T extends Tensor>(a: In, b: In): T;
export declare function greater<T extends Tensor>(a: In, b: In): T;
export declare function greaterEqual<T extends Tensor>(a: In, b: In): T;
export declare function less<T extends Tensor>(a: In, b: In): T;
export declare function lessEqual<T extends Tensor>(a: In, b: In): T;
export declare function logicalAnd<T extends Tensor>(a: In, b: In): T;
export declare function logicalNot<T extends Tensor>(x: T | TensorLike): T;
export declare function where<T extends Tensor>(condition: In, a: T | TensorLike, b: T | TensorLike): T;

// Reductions: over every axis unless `axis` is given; keepDims keeps the reduced axes as size 1.
export declare function sum<T extends Tensor>(x: In, axis?: Axis, keepDims?: boolean): T;
export declare function mean<T extends Tensor>(x: In, axis?: Axis, keepDims?: boolean): T;
export declare function max<T extends Tensor>(x: In, axis?: Axis, keepDims?: boolean): T;
export declare function min<T extends Tensor>(x: In, axis?: Axis, keepDims?: boolean): T;
export declare function logSumExp<T extends Tensor>(x: In, axis?: Axis, keepDims?: boolean): T;
export declare function argMax<T extends Tensor>(x: In, axis?: number): T;
export declare function argMin<T extends Tensor>(x: In, axis?: number): T;
export declare function norm(x: In, ord?: number | 'euclidean' | 'fro', axis?: Axis, keepDims?: boolean): Tensor;

// Linear algebra and activations over an axis (the last by default).
export declare function matMul<T extends Tensor>(a: In, b: In, transposeA?: boolean, transposeB?: boolean): T;
export declare function dot(t1: In, t2: In): Tensor;
export declare function softmax<T extends Tensor>(logits: T | TensorLike, dim?: number): T;
export declare function logSoftmax<T extends Tensor>(logits: T | TensorLike, axis?: number): T;

// Shapes.
export declare function reshape<R extends Rank>(x: In, shape: ShapeMap[R]): Tensor<R>;
export declare function transpose<T extends Tensor>(x: T | TensorLike, perm?: number[]): T;
export declare function expandDims<T extends Tensor>(x: In, axis?: number): T;
export declare function squeeze<T extends Tensor>(x: In, axis?: number[]): T;
export declare function concat<T extends Tensor>(tensors: Array<T | TensorLike>, axis?: number): T;
export declare function stack<T extends Tensor>(tensors: Array<T | TensorLike>, axis?: number): Tensor;
export declare function slice<T extends Tensor>(x: T | TensorLike, begin: number | number[], size?: number | number[]): T;
export declare function gather<T extends Tensor>(x: T | TensorLike, indices: In, axis?: number, batchDims?: number): T;
export declare function tile<T extends Tensor>(x: T | TensorLike, reps: number[]): T;
