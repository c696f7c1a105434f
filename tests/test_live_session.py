"""`make live`: a local Jupyter server opens the MyST pages as notebooks (jupytext), with no internet."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import ROOT

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_live_server_opens_pages_as_notebooks(tmp_path):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^live:.*\n(\t.*\n)*\t\$\(BIN\)/jupyter lab ", makefile, re.M), "make live starts JupyterLab"
    port, token = free_port(), "handbook-test-token"
    jupyter = Path(sys.executable).with_name("jupyter")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = open(tmp_path / "server.log", "w", encoding="utf-8")
    server = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={ROOT}", "--allow-root", "--LabApp.extension_manager=readonly"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/contents/book/calc/overdue-fee.md?type=notebook&content=1&token={token}"
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    model = json.load(response)
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise AssertionError((tmp_path / "server.log").read_text(encoding="utf-8")[-3000:])
                time.sleep(1)
        assert model["type"] == "notebook"
        cells = model["content"]["cells"]
        code = "\n".join(cell["source"] for cell in cells if cell["cell_type"] == "code")
        assert "OverdueCalculator" in code and "remove-input" in json.dumps([c["metadata"] for c in cells])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=30) as response:
            page = response.read().decode()
        assert "JupyterLab" in page and "cdn.jsdelivr" not in page and "unpkg.com" not in page
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
