#!/usr/bin/python3
# The independent renderer python-evtx (Debian's python3-evtx), run by test/evtx.test.ts: one JSON line
# per record of every chunk of FILE, {"chunk", "offset" (in the file), "id", "xml"} or, where
# python-evtx fails on a record, {"chunk", "offset", "id", "error"}. It reads chunks the way
# python-evtx's own Evtx.chunks() does (every whole 64 KiB block after the header, signature or not)
# and records the way ChunkHeader.records() does.
import json
import sys

import Evtx.Evtx as evtx


def main(path):
    out = sys.stdout
    with evtx.Evtx(path) as log:
        for index, chunk in enumerate(log.chunks()):
            try:
                records = list(chunk.records())
            except Exception as error:  # a chunk python-evtx cannot walk
                out.write(json.dumps({"chunk": index, "error": type(error).__name__}) + "\n")
                continue
            for record in records:
                row = {"chunk": index, "offset": record.offset(), "id": record.record_num()}
                try:
                    row["xml"] = record.xml()
                except Exception as error:
                    row["error"] = type(error).__name__
                out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
