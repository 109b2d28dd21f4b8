import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { torchRunFacts } from '../backend/torch/registerTorch';

/** Software versions and machine facts recorded with each run, so a table can say what produced it. */
export function runEnvironment() {
  const cpus = os.cpus();
  return {
    versions: { node: process.versions.node, tfjs: tf.version_core, lossLab: LOSS_LAB_VERSION, ...torchRunFacts() },
    machine: {
      platform: process.platform,
      arch: process.arch,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    },
  };
}

const LOSS_LAB_VERSION = '0.1.0';
