"""Small guards over the repository, as in the projects we follow: cheap checks for known mistakes."""

from __future__ import annotations

import re
import subprocess

import yaml

from helpers import ROOT
from tools.procedure_pages import page_file


IGNORED = {"_build", ".venv", ".git", ".cache", "build", "__pycache__", ".pytest_cache", ".hypothesis", "node_modules"}


def tracked_files() -> list[str]:
    """The repository's files: from git in a checkout, otherwise the tree without build outputs (e.g. an unpacked archive)."""
    if (ROOT / ".git").exists():
        return subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
            if p.is_file() and not IGNORED & set(p.relative_to(ROOT).parts) and not p.name.endswith(".egg-info")
            and ".egg-info" not in p.as_posix()]


def toc_pages() -> list[str]:
    return re.findall(r"file: (\S+)", (ROOT / "_toc.yml").read_text(encoding="utf-8")) + ["book/intro"]


def test_no_notebooks_builds_or_caches_are_committed():
    bad = [f for f in tracked_files() if f.endswith(".ipynb") or f.startswith(("_build/", ".venv/", "build/")) or "__pycache__" in f]
    assert bad == []


def test_no_oversized_files():
    # The biggest legitimate source files are a few tens of kB; vendored assets are fetched, never committed.
    big = [(f, (ROOT / f).stat().st_size) for f in tracked_files() if (ROOT / f).stat().st_size > 200_000]
    assert big == []


def test_every_yaml_file_parses():
    for name in tracked_files():
        if name.endswith((".yml", ".yaml")):
            yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_pages_are_myst_text_notebooks_with_hidden_plumbing():
    """Every page is MyST Markdown; a page with code has jupytext/kernelspec front matter and tags on every cell."""
    for page in toc_pages():
        text = page_file(page).read_text(encoding="utf-8")  # the page file, or the one generated from a procedure YAML
        cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, re.S)
        if not cells:
            continue
        assert text.startswith("---\njupytext:") and "kernelspec:" in text.split("\n---\n", 1)[0], page
        for cell in cells:
            assert re.match(r":tags: \[(remove-input|remove-cell|hide-input|remove-output)", cell), f"{page}: untagged cell\n{cell[:200]}"


def test_no_placeholders_or_unsourced_calling_window():
    """No draft markers in content; the unsourced 08:00–21:00 window appears only where the data says it is unsupported."""
    for name in tracked_files():
        if name.startswith(("book/", "procedures/")) and name.endswith((".md", ".yml")):
            text = (ROOT / name).read_text(encoding="utf-8")
            for marker in ("TODO", "FIXME", "TBD", "lorem ipsum", "待补充"):
                assert marker not in text, (name, marker)
            if "21:00" in text:
                assert name == "procedures/rules/conduct.yml", name
    conduct = yaml.safe_load((ROOT / "procedures/rules/conduct.yml").read_text(encoding="utf-8"))
    assert any("21:00" in item["claim"] for item in conduct["unsupported"])


def test_images_have_alt_text():
    for page in toc_pages():
        text = page_file(page).read_text(encoding="utf-8")  # the page file, or the one generated from a procedure YAML
        assert not re.search(r"!\[\]\(", text), page


def test_every_make_target_with_a_help_line_is_documented_in_the_readme():
    # "docs for every command": each target `make help` lists appears in the README as `make <target>`
    targets = re.findall(r"^([a-z-]+):.*## ", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(targets) >= 15 and "privacy" in targets
    assert [t for t in targets if not re.search(rf"`make {re.escape(t)}\b", readme)] == []
