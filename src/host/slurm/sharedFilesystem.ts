/**
 * The tasks write their results where the submitting machine will read them, so the
 * experiment folder must be on a filesystem every compute node mounts. A folder on a local
 * disk is refused when the partition has nodes other than this machine; an unknown
 * filesystem type is given the benefit of the doubt.
 */
import * as os from 'node:os';
import { firstLine, runSlurm, SlurmError } from './slurmTools';

/** Filesystems that live on one machine (names as `stat -f -c %T` prints them). */
const LOCAL_FILESYSTEMS = new Set(['ext2/ext3', 'ext4', 'xfs', 'btrfs', 'tmpfs', 'ramfs', 'overlayfs', 'f2fs', 'jfs', 'reiserfs', 'vfat', 'msdos', 'exfat', 'squashfs']);

/** Names this machine answers to, as SLURM might list it. */
function thisMachine(): Set<string> {
  const full = os.hostname();
  return new Set(['localhost', full, full.split('.')[0]]);
}

export interface FilesystemFacts {
  /** The folder's filesystem type, as `stat -f -c %T` prints it. */
  fsType: string;
  /** The partition's nodes. */
  nodes: string[];
}

/** Why `dir` cannot be shared with the nodes, or undefined when it can (or cannot be known). */
export function sharedFilesystemProblem(dir: string, facts: FilesystemFacts, partition?: string): string | undefined {
  const others = facts.nodes.filter((n) => !thisMachine().has(n));
  if (others.length === 0 || !LOCAL_FILESYSTEMS.has(facts.fsType)) return undefined;
  const where = partition ? `partition '${partition}'` : 'the default partition';
  return (
    `the results folder ${dir} is on a local ${facts.fsType} filesystem of ${os.hostname()}, but ${where} runs on ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''}: ` +
    'the tasks could not write their results there. Set outputDir (or --out) to a folder every node mounts (your home, /scratch, an NFS, Lustre or GPFS share); ' +
    'if it is shared after all, set LOSSLAB_SLURM_SHARED_FS=1'
  );
}

async function facts(dir: string, partition: string | undefined, env: NodeJS.ProcessEnv): Promise<FilesystemFacts> {
  const stat = await runSlurm('stat', ['-f', '-c', '%T', dir], env).catch(() => undefined);
  const sinfo = await runSlurm('sinfo', ['-h', '-N', '-o', '%N', ...(partition ? ['-p', partition] : [])], env);
  if (sinfo.code !== 0) throw new SlurmError(`sinfo could not list the cluster's nodes: ${firstLine(sinfo)}`);
  const nodes = [
    ...new Set(
      sinfo.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
  if (nodes.length === 0) throw new SlurmError(partition ? `partition '${partition}' has no nodes (sinfo -p ${partition} lists none)` : 'the cluster lists no nodes (sinfo)');
  return { fsType: stat?.code === 0 ? stat.stdout.trim() : 'unknown', nodes };
}

/** Throws SlurmError when the experiment folder is on a disk the compute nodes cannot reach. */
export async function checkSharedFilesystem(dir: string, partition: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env.LOSSLAB_SLURM_SHARED_FS === '1') return;
  const problem = sharedFilesystemProblem(dir, await facts(dir, partition, env), partition);
  if (problem) throw new SlurmError(problem);
}
