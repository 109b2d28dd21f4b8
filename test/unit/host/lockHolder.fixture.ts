// Child process for experimentLock.test.ts: takes the lock on argv[2], says so, and holds it until killed.
import { lockExperiment } from '../../../src/host/experimentLock';

lockExperiment(process.argv[2], { by: 'fixture' });
process.stdout.write('locked\n');
setInterval(() => undefined, 1000);
