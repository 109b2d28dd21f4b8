/** Starting points for New Experiment: the example configs shipped with the extension. No vscode here. */

export type PresetId = 'quick-fashion-mnist' | 'margin-losses-fashion-mnist' | 'paper-cifar100' | 'paper-tiny-imagenet' | 'paper-facescrub';

export interface Preset {
  id: PresetId;
  label: string;
  detail: string;
}

export const PRESETS: readonly Preset[] = [
  { id: 'quick-fashion-mnist', label: 'Quick Fashion-MNIST', detail: 'All four losses on a Fashion-MNIST subset, 3 epochs: a few minutes on a CPU.' },
  {
    id: 'margin-losses-fashion-mnist',
    label: 'Margin and calibration losses',
    detail: 'CE vs ArcFace, CosFace, NormFace, label smoothing, focal and center loss on a Fashion-MNIST subset, 3 seeds, paired statistics against CE.',
  },
  { id: 'paper-cifar100', label: 'Paper: CIFAR-100', detail: "The paper's CIFAR-100 protocol: VGG-16, ResNet-18/50, 8 losses, 3 seeds, 100 epochs (GPU)." },
  { id: 'paper-tiny-imagenet', label: 'Paper: TinyImageNet', detail: "The paper's TinyImageNet protocol (200 classes, 64×64): the same grid as CIFAR-100 (GPU)." },
  { id: 'paper-facescrub', label: 'Paper: FaceScrub', detail: "The paper's FaceScrub protocol (identities with ≥ 70 images, 10% held out, 64×64) (GPU)." },
];

/** Each preset is an example file shipped with the extension (examples/<id>.losslab.json). */
export function presetFile(id: PresetId): string {
  return `${id}.losslab.json`;
}

type ConfigJson = Record<string, unknown>;

/**
 * The preset's config named `name`, without the examples' relative `$schema` (the
 * extension applies the schema to every *.losslab.json). `readExample` reads a file of examples/.
 */
export function presetConfig(id: PresetId, name: string, readExample: (file: string) => ConfigJson): ConfigJson {
  const { $schema: _schema, name: _name, ...rest } = readExample(presetFile(id));
  return { name, ...rest };
}

/** The experiment name must also be a folder name (the schema's pattern). */
export const EXPERIMENT_NAME = /^[A-Za-z0-9._-]{1,100}$/;
