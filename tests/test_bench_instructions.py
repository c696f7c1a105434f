"""bench/bench_instructions.py: the parts that need no valgrind (counting itself needs it, and is a benchmark, not a test)."""

from __future__ import annotations

import doctest

import bench.bench_instructions as bench_instructions


def test_the_count_is_read_from_callgrinds_report():
    assert doctest.testmod(bench_instructions).failed == 0
    assert bench_instructions.collected("==1== Collected : 12\n==1== I refs: 12") == 12


def test_without_valgrind_it_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(bench_instructions.shutil, "which", lambda tool: None)
    assert bench_instructions.main([]) == 2
    err = capsys.readouterr().err
    assert "needs valgrind" in err and "apt-get install valgrind" in err


def test_against_must_name_a_checkout_of_this_project(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(bench_instructions.shutil, "which", lambda tool: "/usr/bin/" + tool)
    assert bench_instructions.main(["--against", str(tmp_path)]) == 2
    assert "not a checkout of this project" in capsys.readouterr().err
