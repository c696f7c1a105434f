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


def test_each_part_runs_between_the_counting_switches(monkeypatch):
    """``--parts`` counts the lint, the rules alone and their regex scan: each child runs its part (so a renamed
    function breaks this test, not the benchmark) and turns callgrind's counting on, then off."""
    import calculators.compliance.redlines as rule_module

    calls: list[str] = []
    real_scan, real_lint = rule_module._scan, rule_module.lint
    monkeypatch.setattr(rule_module, "_scan", lambda *a: calls.append("scan") or real_scan(*a))
    monkeypatch.setattr(rule_module, "lint", lambda text, rules, model: calls.append(
        "rules" if model is None else "lint") or real_lint(text, rules, model))
    monkeypatch.setattr(bench_instructions.subprocess, "run", lambda command, **kw: calls.append(command[1]))
    for part in bench_instructions.PARTS:
        calls.clear()
        bench_instructions._child(bench_instructions.ROOT, "compliant script", part)
        on, off = calls.index("--instr=on"), calls.index("--instr=off")
        assert calls[0] == part and calls[on + 1] == part and on < off  # (lint calls the scan in turn)
        assert calls.count("--instr=on") == calls.count("--instr=off") == 1
