import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Executor, ExecutorRunStatus } from '../../../src/host/executor';
import { nextPollSeconds, POLL_FIRST_SECONDS, POLL_MAX_SECONDS, watchRuns } from '../../../src/cli/slurmWatch';

test('polling backs off from 2 s to 30 s while nothing changes, and starts over when something does', () => {
  const env = {};
  const waits: number[] = [];
  let w: number | undefined;
  for (let i = 0; i < 10; i++) waits.push((w = nextPollSeconds(w, false, env)));
  assert.equal(waits[0], POLL_FIRST_SECONDS);
  assert.ok(waits.every((x, i) => i === 0 || x >= waits[i - 1]));
  assert.equal(waits.at(-1), POLL_MAX_SECONDS);
  assert.equal(nextPollSeconds(30, true, env), POLL_FIRST_SECONDS);
  assert.equal(nextPollSeconds(30, false, { LOSSLAB_POLL_SECONDS: '0.5' }), 0.5, 'fixed for tests');
});

const run = (over: Partial<ExecutorRunStatus>): ExecutorRunStatus => ({ runId: 'r', state: 'running', label: 'RUNNING', epoch: 1, epochs: 2, jobId: '7_0', detail: 'n1', ...over });
const lost = run({ state: 'unknown', label: 'UNREACHABLE', detail: 'cannot reach the SLURM controller (connect failure); task 7_0 may still be queued or running' });

function executor(polls: ExecutorRunStatus[][]): Executor {
  let i = 0;
  return { submit: () => Promise.reject(new Error('no')), cancel: () => Promise.resolve(), poll: () => Promise.resolve(polls[Math.min(i++, polls.length - 1)]) };
}

function withEnv(vars: Record<string, string>, body: () => Promise<void>) {
  return async () => {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      await body();
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  };
}

test(
  'a controller out of reach is said once, retried, and the watch goes on when it answers again',
  withEnv({ LOSSLAB_POLL_SECONDS: '0.01' }, async () => {
    const lines: string[] = [];
    const states = await watchRuns(executor([[run({})], [lost], [lost], [lost], [run({})], [run({ state: 'done', label: 'COMPLETED', epoch: 2 })]]), { print: (l) => lines.push(l) });
    assert.equal(states[0].state, 'done');
    assert.deepEqual(lines, [
      'r: RUNNING on n1, 1/2 epochs [7_0]',
      'SLURM: cannot reach the SLURM controller (connect failure); retrying with back-off (the tasks may still be running)',
      'SLURM: the controller answers again',
      'r: COMPLETED, 2/2 epochs',
    ]);
  }),
);

test(
  'a controller out of reach for too long ends the watch with the runs UNREACHABLE, never as forgotten',
  withEnv({ LOSSLAB_POLL_SECONDS: '0.01', LOSSLAB_UNREACHABLE_SECONDS: '0.05' }, async () => {
    const lines: string[] = [];
    const states = await watchRuns(executor([[lost]]), { print: (l) => lines.push(l) });
    assert.equal(states[0].label, 'UNREACHABLE');
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines.join('\n'), /no longer knows/);
  }),
);
