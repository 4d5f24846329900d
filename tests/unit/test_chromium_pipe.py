"""How :class:`dashboard.chromium.Browser` reads Chromium's DevTools pipe: messages ended by a NUL byte, however
the pipe cuts them (several in one read, one across many reads, a PDF's answer of megabytes)."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from dashboard.chromium import Browser, RenderError


def test_messages_are_read_whole_however_the_pipe_cuts_them():
    big = {"id": 3, "result": {"data": "x" * 3_000_000}}  # a PDF's answer, read in many chunks
    messages = [{"id": 1, "result": {}}, {"method": "Page.loadEventFired", "params": {}}, big, {"id": 4}]
    stream = b"".join(json.dumps(m).encode() + b"\0" for m in messages)
    read_fd, write_fd = os.pipe()
    browser = Browser()
    browser._recv_fd = read_fd

    def write() -> None:  # the first two messages in one write, the rest in odd pieces
        cut = stream.index(b"\0", stream.index(b"\0") + 1) + 1
        os.write(write_fd, stream[:cut])
        for start in range(cut, len(stream), 65_521):
            os.write(write_fd, stream[start:start + 65_521])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        got = [browser._read(time.monotonic() + 10) for _ in messages]
    finally:
        writer.join()
        os.close(write_fd)
    assert got == messages
    with pytest.raises(RenderError, match="closed its pipe"):
        browser._read(time.monotonic() + 10)
    os.close(read_fd)
