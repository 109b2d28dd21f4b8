#!/usr/bin/python3
"""Independent reader of TensorBoard event files, for Loss Lab's tests.

Decodes TFRecord framing (checking both masked CRC-32C checksums with a bitwise CRC written
here, not Loss Lab's table-driven one) and each record as a TensorFlow `Event` with code that
protoc generates from tfevents.proto (Debian's protobuf-compiler and python3-protobuf). Prints
JSON: {"files": [{"name": ..., "events": [{"wall_time", "step", "file_version" | "session_log"
| "values": [{"tag", "simple_value" | "histo"}]}]}]}. Any damage is one line on stderr and exit 1.

Usage: read_tfevents.py PATH...   (an event file, or a folder: its events.out.tfevents.* in name order)
"""
import importlib
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked(crc: int) -> int:
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


MISSING = "the TensorBoard tests need Debian's protobuf-compiler and python3-protobuf for /usr/bin/python3: run 'bash scripts/ensure-deps.sh --tests' (as root)"


def load_proto_module():
    try:
        import google.protobuf  # noqa: F401  (checked here for a clear message)
    except ImportError:
        raise ValueError(f"no google.protobuf in {sys.executable}: {MISSING}")
    out = tempfile.mkdtemp(prefix="tfevents-pb-")
    try:
        subprocess.run(["protoc", f"--proto_path={HERE}", f"--python_out={out}", "tfevents.proto"], check=True)
    except FileNotFoundError:
        raise ValueError(f"no protoc on PATH: {MISSING}")
    sys.path.insert(0, out)
    return importlib.import_module("tfevents_pb2")


def records(path: str):
    with open(path, "rb") as f:
        data = f.read()
    offset = 0
    while offset < len(data):
        if offset + 12 > len(data):
            raise ValueError(f"{path}: torn record header at byte {offset}")
        header = data[offset : offset + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[offset + 8 : offset + 12])
        if masked(crc32c(header)) != length_crc:
            raise ValueError(f"{path}: bad length checksum at byte {offset}")
        body = data[offset + 12 : offset + 12 + length]
        if len(body) != length or offset + 16 + length > len(data):
            raise ValueError(f"{path}: torn record at byte {offset}")
        (data_crc,) = struct.unpack("<I", data[offset + 12 + length : offset + 16 + length])
        if masked(crc32c(body)) != data_crc:
            raise ValueError(f"{path}: bad data checksum at byte {offset}")
        yield body
        offset += 16 + length


def event_json(pb, event):
    out = {"wall_time": event.wall_time, "step": event.step}
    what = event.WhichOneof("what")
    if what == "file_version":
        out["file_version"] = event.file_version
    elif what == "session_log":
        out["session_log"] = pb.SessionLog.SessionStatus.Name(event.session_log.status)
    elif what == "summary":
        values = []
        for v in event.summary.value:
            kind = v.WhichOneof("value")
            if kind == "simple_value":
                values.append({"tag": v.tag, "simple_value": v.simple_value})
            elif kind == "histo":
                h = v.histo
                values.append(
                    {
                        "tag": v.tag,
                        "histo": {
                            "min": h.min,
                            "max": h.max,
                            "num": h.num,
                            "sum": h.sum,
                            "sum_squares": h.sum_squares,
                            "bucket_limit": list(h.bucket_limit),
                            "bucket": list(h.bucket),
                        },
                    }
                )
            else:
                raise ValueError(f"summary value {v.tag!r} has unexpected kind {kind}")
        out["values"] = values
    else:
        raise ValueError(f"event at step {event.step} has unexpected kind {what}")
    return out


def main(paths):
    pb = load_proto_module()
    files = []
    for p in paths:
        if os.path.isdir(p):
            names = sorted(n for n in os.listdir(p) if n.startswith("events.out.tfevents."))
            files.extend(os.path.join(p, n) for n in names)
        else:
            files.append(p)
    result = []
    for f in files:
        events = []
        for body in records(f):
            event = pb.Event()
            event.ParseFromString(body)
            # A field number or wire type the schema does not expect lands in UnknownFields: Loss Lab writes none.
            parts = [event, event.summary, *event.summary.value, *(v.histo for v in event.summary.value), event.session_log]
            if any(len(m.UnknownFields()) > 0 for m in parts):
                raise ValueError(f"{f}: the record at step {event.step} has fields the Event schema does not define")
            events.append(event_json(pb, event))
        result.append({"name": os.path.basename(f), "events": events})
    json.dump({"files": result}, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        main(sys.argv[1:])
    except (ValueError, OSError) as e:
        print(f"read_tfevents: {e}", file=sys.stderr)
        sys.exit(1)
