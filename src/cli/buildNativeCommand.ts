// `losslab build-native`: compiles the native engine (the torch backend) for this machine's libtorch.
import { buildNativeEngine, NativeBuildError } from '../host/nativeBuild';
import { describeLibtorch } from '../core/backend/torch/libtorch';
import { UserError } from './errors';

export async function buildNativeCommand(opts: { force?: boolean }): Promise<number> {
  try {
    const result = await buildNativeEngine({ force: opts.force, progress: (m) => process.stdout.write(`native engine: ${m}\n`) });
    process.stdout.write(`The torch backend is ready (${describeLibtorch(result.libtorch)}): "backend": "torch", --backend torch, or auto.\n`);
    return 0;
  } catch (err) {
    if (err instanceof NativeBuildError) throw new UserError(`native engine: ${err.message}`);
    throw err;
  }
}
