/**
 * Starting points for New Experiment. The quick and CIFAR-100 ones are the example files
 * shipped with the extension; TinyImageNet and FaceScrub follow the CIFAR-100 protocol
 * on their datasets, as the paper does. No vscode here.
 */
import type { DatasetConfig } from '../core/config/types';

export type PresetId = 'quick-fashion-mnist' | 'paper-cifar100' | 'paper-tiny-imagenet' | 'paper-facescrub';

export interface Preset {
  id: PresetId;
  label: string;
  detail: string;
}

export const PRESETS: readonly Preset[] = [
  { id: 'quick-fashion-mnist', label: 'Quick Fashion-MNIST', detail: 'All four losses on a Fashion-MNIST subset, 3 epochs: a few minutes on a CPU.' },
  { id: 'paper-cifar100', label: 'Paper: CIFAR-100', detail: "The paper's CIFAR-100 protocol: VGG-16, ResNet-18/50, 8 losses, 3 seeds, 100 epochs (GPU)." },
  { id: 'paper-tiny-imagenet', label: 'Paper: TinyImageNet', detail: 'The CIFAR-100 protocol on TinyImageNet (200 classes, 64×64).' },
  { id: 'paper-facescrub', label: 'Paper: FaceScrub', detail: 'The CIFAR-100 protocol on FaceScrub face identities.' },
];

export const PRESET_FILES = {
  quick: 'quick-fashion-mnist.losslab.json',
  cifar: 'paper-cifar100.losslab.json',
} as const;

type ConfigJson = Record<string, unknown>;

function fromCifar(cifar: ConfigJson, dataset: DatasetConfig, description: string): ConfigJson {
  return { ...cifar, description, dataset };
}

/**
 * The preset's config named `name`, without the examples' relative `$schema` (the
 * extension applies the schema to every *.losslab.json). `readExample` reads a file of examples/.
 */
export function presetConfig(id: PresetId, name: string, readExample: (file: string) => ConfigJson): ConfigJson {
  const base = ((): ConfigJson => {
    switch (id) {
      case 'quick-fashion-mnist':
        return readExample(PRESET_FILES.quick);
      case 'paper-cifar100':
        return readExample(PRESET_FILES.cifar);
      case 'paper-tiny-imagenet':
        return fromCifar(readExample(PRESET_FILES.cifar), { name: 'tiny-imagenet' }, "The paper's protocol on TinyImageNet: VGG-16, ResNet-18 and ResNet-50 with CE, AM-Softmax, PEDCC and scaled BN before softmax; 3 seeds, 100 epochs of SGD. Plan for a GPU.");
      case 'paper-facescrub':
        return fromCifar(readExample(PRESET_FILES.cifar), { name: 'facescrub' }, "The paper's protocol on FaceScrub identities: VGG-16, ResNet-18 and ResNet-50 with CE, AM-Softmax, PEDCC and scaled BN before softmax; 3 seeds, 100 epochs of SGD. Plan for a GPU.");
    }
  })();
  const { $schema: _schema, name: _name, ...rest } = base;
  return { name, ...rest };
}

/** The experiment name must also be a folder name (the schema's pattern). */
export const EXPERIMENT_NAME = /^[A-Za-z0-9._-]{1,100}$/;
