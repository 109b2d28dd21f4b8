/**
 * The experiment grid: every model × loss × seed becomes one RunSpec with a
 * stable, folder-safe id (`resnet18-w1__scaled-bn-m0.9__seed1`) and paper-style
 * labels ("ResNet-18", "Scaled-BN m=0.9") that comparison tables use as headers.
 */
import type { LossDescriptor } from '../losses/descriptor';
import { schemaDefaults } from '../losses/optionDefaults';
import { LOSS_DESCRIPTORS, lossDescriptor, lossOptions } from '../losses/registry';
import { expandLoss, expandTraining, sweptFields, trainingSweepKey, trainingSweepLabel } from './sweep';
import { searchTrialSpecs, studiesOf } from '../search/space';
import type { DatasetConfig, DatasetName, ExperimentConfig, LossConfig, ModelConfig, ModelName, RunSpec, SweepValue } from './types';

/** Defaults of the optional loss fields (the schema's, or those it leaves unset on purpose); a field at its default stays out of ids and labels. */
export const LOSS_OPTION_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = Object.fromEntries(LOSS_DESCRIPTORS.map((d) => [d.name, optionDefaults(d)]));

function optionDefaults(d: LossDescriptor<string, object>): Record<string, unknown> {
  return { ...schemaDefaults(d.optionsSchema), ...d.unpublishedDefaults };
}

const MODEL_NAMES: Record<ModelName, string> = {
  'simple-cnn': 'Simple CNN',
  vgg16: 'VGG-16',
  resnet18: 'ResNet-18',
  resnet50: 'ResNet-50',
};

const DATASET_NAMES: Record<DatasetName, string> = {
  'fashion-mnist': 'Fashion-MNIST',
  mnist: 'MNIST',
  cifar100: 'CIFAR-100',
  'tiny-imagenet': 'Tiny ImageNet',
  facescrub: 'FaceScrub',
  'image-folder': 'Images',
};

/** "CIFAR-100", "CIFAR-100 (coarse)", or the folder name for image-folder. */
export function datasetLabel(dataset: DatasetConfig): string {
  if (dataset.name === 'image-folder' && dataset.path)
    return (
      dataset.path
        .replace(/[\\/]+$/, '')
        .split(/[\\/]/)
        .pop() || 'Images'
    );
  const name = DATASET_NAMES[dataset.name] ?? dataset.name;
  return dataset.name === 'cifar100' && dataset.labels === 'coarse' ? `${name} (coarse)` : name;
}

/** Optional loss fields set away from their defaults (or `shown`: swept), as [id fragment, label fragment] pairs. */
function lossTags(d: LossDescriptor<string, object>, options: Record<string, unknown>, shown: ReadonlySet<string>): [string, string][] {
  const defaults = LOSS_OPTION_DEFAULTS[d.name];
  return (d.tags ?? []).flatMap((t) => {
    const value = options[t.field];
    if (value === undefined || (value === defaults[t.field] && !shown.has(t.field))) return [];
    return [t.tag(value as never)];
  });
}

const NONE: ReadonlySet<string> = new Set();

/** A built-in loss's descriptor and options; throws on a name no descriptor has (unvalidated input). */
function builtin(loss: LossConfig): [LossDescriptor<string, object>, Record<string, unknown>] {
  const d = lossDescriptor(loss.name);
  if (!d) throw new Error(`unknown loss ${JSON.stringify(loss.name)}`);
  return [d, lossOptions(loss)];
}

/** Folder-safe id fragment of a loss, e.g. `am-softmax-s7.5-m0.35`. Equal keys mean equal losses. `shown`: swept fields, named even at their default. */
export function lossKey(loss: LossConfig, shown: ReadonlySet<string> = NONE): string {
  if (loss.name === 'custom') return customLossKey(loss);
  const [d, options] = builtin(loss);
  return (
    d.key(options) +
    lossTags(d, options, shown)
      .map(([id]) => `-${id}`)
      .join('')
  );
}

/** Paper-style label: "CE", "Scaled-BN m=0.9", "AM-Softmax s=7.5 m=0.35", "ArcFace s=30 m=0.5", "Focal γ=2", … */
export function lossLabel(loss: LossConfig, shown: ReadonlySet<string> = NONE): string {
  if (loss.name === 'custom') return customLossLabel(loss);
  const [d, options] = builtin(loss);
  return (
    d.label(options) +
    lossTags(d, options, shown)
      .map(([, label]) => ` ${label}`)
      .join('')
  );
}

/** The name tables and run ids show for a custom loss's module: `./losses/focal.ts` → `focal`. */
export function customLossName(module: string): string {
  const base =
    module
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? module;
  return base.replace(/\.(c|m)?(t|j)sx?$/i, '') || 'loss';
}

const optionText = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

/** 32-bit FNV-1a in hex: a short, stable stand-in for option values that do not make a readable id. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** `custom-focal-gamma2`: the module name and its options, folder-safe (anything else becomes '_'); long ones end in a hash. */
function customLossKey(loss: Extract<LossConfig, { name: 'custom' }>): string {
  const options = Object.entries(loss.options ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const safe = (t: string) => t.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  const key = `custom-${safe(customLossName(loss.module))}${options.map(([k, v]) => `-${safe(k)}${safe(optionText(v))}`).join('')}`;
  return key.length <= 80 ? key : `${key.slice(0, 70)}-${shortHash(JSON.stringify([loss.module, options]))}`;
}

/** `custom:focal gamma=2` */
function customLossLabel(loss: Extract<LossConfig, { name: 'custom' }>): string {
  const options = Object.entries(loss.options ?? {}).map(([k, v]) => ` ${k}=${optionText(v)}`);
  return `custom:${customLossName(loss.module)}${options.join('')}`;
}

/** Folder-safe id fragment of a model, e.g. `resnet18-w0.25`. */
export function modelKey(model: ModelConfig): string {
  return `${model.name}-w${model.width ?? 1}`;
}

/** "ResNet-18", or "ResNet-18 ×0.25" for a width multiplier other than 1. */
export function modelLabel(model: ModelConfig): string {
  const width = model.width ?? 1;
  const name = MODEL_NAMES[model.name] ?? model.name; // fallback for unvalidated input
  return width === 1 ? name : `${name} ×${width}`;
}

/** `sweep`: the run's swept values; swept training values join the loss part (`scaled-bn-m0.8-lr0.1`), so the id stays one folder name. */
function runId(model: ModelConfig, loss: LossConfig, seed: number, sweep: readonly SweepValue[] = []): string {
  return `${modelKey(model)}__${lossKey(loss, sweptFields(sweep, 'loss'))}${trainingSweepKey(sweep)}__seed${seed}`;
}

/** Row label of a run's setting: the loss's label, then the swept training values (`Scaled-BN m=0.8 · lr=0.1`). */
function settingLabel(loss: LossConfig, sweep: readonly SweepValue[] = []): string {
  return `${lossLabel(loss, sweptFields(sweep, 'loss'))}${trainingSweepLabel(sweep)}`;
}

/**
 * All runs of the experiment: models outermost, then losses (each swept loss field's values in
 * turn), then the swept training values, then seeds. Each spec owns its objects.
 */
export function expandGrid(cfg: ExperimentConfig): RunSpec[] {
  // A search's runs are its trials; its final stage follows from search.json (core/search/space.ts).
  if (cfg.search) return searchTrialSpecs(cfg);
  const runs: RunSpec[] = [];
  const trainings = expandTraining(cfg.training);
  for (const modelConfig of cfg.models) {
    const model: Required<ModelConfig> = { name: modelConfig.name, width: modelConfig.width ?? 1 };
    for (const lossEntry of cfg.losses) {
      for (const { value: loss, sweep: lossSweep } of expandLoss(lossEntry)) {
        for (const { value: training, sweep: trainingSweep } of trainings) {
          const sweep = [...lossSweep, ...trainingSweep];
          for (const seed of cfg.seeds) {
            runs.push({
              experiment: cfg.name,
              runId: runId(model, loss, seed, sweep),
              dataset: structuredClone(cfg.dataset),
              model: { ...model },
              modelLabel: modelLabel(model),
              loss: structuredClone(loss),
              lossLabel: settingLabel(loss, sweep),
              seed,
              training: structuredClone(training),
              backend: cfg.backend,
              threads: cfg.threads ?? 1,
              ...(sweep.length ? { sweep: structuredClone(sweep) } : {}),
            });
          }
        }
      }
    }
  }
  return runs;
}

/** The grid's setting labels (table rows), in grid order, each once. */
export function settingLabels(cfg: ExperimentConfig): string[] {
  // A search compares its studies' final runs, labelled by the loss alone.
  if (cfg.search) return [...new Set(studiesOf(cfg).map((s) => s.lossLabel))];
  return [...new Set(expandGrid({ ...cfg, models: cfg.models.slice(0, 1), seeds: cfg.seeds.slice(0, 1) }).map((r) => r.lossLabel))];
}
