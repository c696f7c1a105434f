"""The calculators wheel that the in-browser forms load holds this checkout's modules, and only them."""

from __future__ import annotations

import shutil
import zipfile

from tools import handbook_sphinx
from tools.handbook_sphinx import ROOT


def test_a_leftover_build_folder_does_not_leak_old_modules_into_the_wheel(tmp_path, monkeypatch):
    # setuptools copies into build/lib and never prunes it: a module deleted from the sources would still ship.
    scratch = ROOT / "build"
    had_scratch = scratch.exists()
    stale = scratch / "lib" / "calculators" / "stale_module_for_the_wheel_test.py"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("GONE = True\n", encoding="utf-8")
    monkeypatch.setattr(handbook_sphinx, "EXTRA_STATIC", tmp_path)
    try:
        finish = handbook_sphinx._start_browser_app("digest-for-the-wheel-test")
        assert finish is not None
        finish()
    finally:
        if had_scratch:
            stale.unlink()
        else:
            shutil.rmtree(scratch)
    wheels = list((tmp_path / "app").glob("*.whl"))
    assert len(wheels) == 1, wheels
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "calculators/money.py" in names and "calculators/compliance/conduct.py" in names
    assert not any("stale_module_for_the_wheel_test" in name for name in names), names
    assert (tmp_path / "app" / ".digest").read_text() == "digest-for-the-wheel-test"
    assert not (ROOT / "_build" / "wheel-build").exists()  # the scratch build folder is removed again
