import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, describe, it } from 'mocha';
import { Disposer, FIXTURES, readJson, runExperiment } from './util';

const RUN_ID = 'simple-cnn-w0.25__ce__seed1';

export function crashTests(): void {
  describe('a crashed training worker', function () {
    const disposer = new Disposer();
    afterEach(() => disposer.dispose());

    it('should mark the run failed with the exit code', async () => {
      // The worker path is not a setting (nothing a user needs); the extension host reads it from the environment.
      const before = process.env.LOSSLAB_WORKER_PATH;
      process.env.LOSSLAB_WORKER_PATH = path.join(FIXTURES, 'workers', 'crashingWorker.js');
      disposer.track(() => (before === undefined ? delete process.env.LOSSLAB_WORKER_PATH : (process.env.LOSSLAB_WORKER_PATH = before)));
      const result = await runExperiment('single.losslab.json');
      const outcome = result.outcomes[RUN_ID];
      assert.ok(outcome, `no outcome for ${RUN_ID}: ${JSON.stringify(result.outcomes)}`);
      assert.equal(outcome.state, 'failed');
      assert.equal(outcome.category, 'crash');
      assert.match(outcome.message ?? '', /code 3/);
      const status = readJson<{ state: string; reason?: string }>(path.join(result.experimentDir, RUN_ID, 'status.json'));
      assert.equal(status.state, 'failed');
      assert.match(status.reason ?? '', /code 3/);
    });

    it('should run normally again with the real worker', async () => {
      const result = await runExperiment('single.losslab.json');
      assert.equal(result.outcomes[RUN_ID]?.state, 'done', JSON.stringify(result.outcomes));
      assert.equal(readJson(path.join(result.experimentDir, RUN_ID, 'status.json')).state, 'done');
    });
  });
}
