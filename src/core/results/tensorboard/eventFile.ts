/**
 * One TensorBoard event file: TFRecord framing of encoded `Event`s, named as TensorBoard's own
 * writers name them so `tensorboard --logdir` finds and orders them.
 *
 * TFRecord record: uint64 LE length, uint32 LE masked CRC-32C of those 8 bytes, the data,
 * uint32 LE masked CRC-32C of the data.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maskedCrc32c } from './crc32c';
import { encodeEvent, FILE_VERSION, type TfEvent } from './eventProto';

const EVENT_FILE_PREFIX = 'events.out.tfevents.';

export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Files opened by this process so far: the name's last part, so two files opened in the same second differ. */
let opened = 0;

/** `events.out.tfevents.<unix seconds>.<hostname>.<pid>.<n>`; TensorBoard reads a run's files in name order. */
export function eventFileName(unixSeconds: number, host = os.hostname(), pid = process.pid): string {
  return `${EVENT_FILE_PREFIX}${Math.floor(unixSeconds)}.${host}.${pid}.${opened++}`;
}

function listEventFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => n.startsWith(EVENT_FILE_PREFIX))
      .sort();
  } catch {
    return [];
  }
}

export function removeEventFiles(dir: string): void {
  for (const name of listEventFiles(dir)) fs.rmSync(path.join(dir, name), { force: true });
}

/**
 * Appends events to a new file in `dir`, starting with the file_version record. Each event is one
 * write() of a whole record, so a killed process leaves at most a torn last record, which
 * TensorBoard's readers stop at.
 */
export class EventFileWriter {
  readonly file: string;
  private fd: number | null;

  constructor(dir: string, wallTime = Date.now() / 1000) {
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, eventFileName(wallTime));
    this.fd = fs.openSync(this.file, 'wx');
    this.write({ wallTime, step: 0, fileVersion: FILE_VERSION });
  }

  write(event: TfEvent): void {
    if (this.fd === null) throw new Error(`${this.file} is closed`);
    fs.writeSync(this.fd, tfRecord(encodeEvent(event)));
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.closeSync(fd);
  }
}
