"""Fetch the pinned front-end assets (MathJax, require.js, widget manager, Pyodide).

Reads ``assets/vendor.json``; downloads each package's tarball from the npm
registry (``$NPM_REGISTRY`` overrides ``https://registry.npmjs.org`` for an
intranet mirror), checks it against the pinned sha512, keeps it in
``.cache/npm/`` and unpacks the listed files into ``_build/vendor/<dest>/``.
A second run with everything in place does nothing.

Usage: ``python tools/fetch_assets.py [--dest _build/vendor]``
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import json
import os
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "assets" / "vendor.json"
CACHE = ROOT / ".cache" / "npm"
DEFAULT_DEST = ROOT / "_build" / "vendor"


def _tarball_url(name: str, version: str) -> str:
    registry = os.environ.get("NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")
    base = name.split("/")[-1]
    return f"{registry}/{name}/-/{base}-{version}.tgz"


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch_tarball(pkg: dict) -> Path:
    """The verified tarball for ``pkg``, downloaded once into the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"{pkg['name'].replace('/', '__')}-{pkg['version']}.tgz"
    if target.is_file() and _integrity(target.read_bytes()) == pkg["integrity"]:
        return target
    url = _tarball_url(pkg["name"], pkg["version"])
    print(f"  downloading {pkg['name']}@{pkg['version']} from {url}", flush=True)
    with urllib.request.urlopen(url, timeout=300) as response:
        data = response.read()
    got = _integrity(data)
    if got != pkg["integrity"]:
        raise SystemExit(f"error: {pkg['name']}@{pkg['version']}: sha512 mismatch (pinned {pkg['integrity']}, got {got})")
    target.write_bytes(data)
    return target


def _selected(member: str, include: list[str]) -> bool:
    path = member.split("/", 1)[1] if "/" in member else member  # drop the tarball's "package/" prefix
    return any(path.startswith(rule) if rule.endswith("/") else fnmatch.fnmatch(path, rule) for rule in include)


def _unpacked(pkg: dict, dest: Path) -> bool:
    stamp = dest / pkg["dest"] / ".version"
    return stamp.is_file() and stamp.read_text() == f"{pkg['name']}@{pkg['version']}"


def pending(dest: Path = DEFAULT_DEST) -> list[str]:
    """The packages of ``assets/vendor.json`` not (or not in the pinned version) unpacked into ``dest``.

    >>> import tempfile
    >>> names = pending(Path(tempfile.mkdtemp()))
    >>> "pyodide" in names and len(names) == len(json.loads(LIST.read_text(encoding="utf-8"))["packages"])
    True
    """
    packages = json.loads(LIST.read_text(encoding="utf-8"))["packages"]
    return [pkg["name"] for pkg in packages if not _unpacked(pkg, dest)]


def unpack(pkg: dict, dest: Path) -> Path:
    """Unpack the listed files of ``pkg`` into ``dest/<pkg.dest>`` (skipped when already done)."""
    out = dest / pkg["dest"]
    stamp = out / ".version"
    if _unpacked(pkg, dest):
        return out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tarfile.open(fetch_tarball(pkg)) as archive:
        for member in archive.getmembers():
            if member.isfile() and _selected(member.name, pkg["include"]):
                relative = Path(member.name.split("/", 1)[1])
                if relative.is_absolute() or ".." in relative.parts:
                    raise SystemExit(f"error: unsafe path {member.name} in {pkg['name']}")
                target = out / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink)
    stamp.write_text(f"{pkg['name']}@{pkg['version']}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="where to unpack (default: _build/vendor)")
    args = parser.parse_args(argv)
    packages = json.loads(LIST.read_text(encoding="utf-8"))["packages"]
    for pkg in packages:
        out = unpack(pkg, args.dest)
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        print(f"  {pkg['name']}@{pkg['version']}: {size / 1e6:.1f} MB in {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
