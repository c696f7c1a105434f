"""``python -m procedures [PROFILE ...]``: validate the knowledge base and every terms profile.

Checks every YAML file of the knowledge base, every bundled profile in
``calculators/profiles/`` and each profile given (a bundled name, a file
path, or a folder of profiles; ``make check-data PROFILE=path``).  A bad file is reported as
``file:line: problem`` with exit status 1, never as a traceback.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from calculators.errors import CalculatorInputError
from calculators.terms import PROFILE_DIR, PROFILE_ENV, Terms, profile_path

from . import ProcedureFileError, exercises, roleplay, situations, validate_all


def check_profile(name_or_path: str) -> str | None:
    """``None`` when the profile is valid, else its problem as ``file:line: …`` text.

    The same checks as loading (:meth:`calculators.terms.Terms.from_dict`: an unknown key anywhere is an
    error naming the file, line, key and allowed keys), reported as text.

    >>> check_profile("cmb") is None
    True
    >>> check_profile("no/such/profile.yml")
    'no/such/profile.yml: no such file (give a bundled profile name or the path of a profile YAML file)'
    """
    from calculators.datafile import read_yaml, yaml_error_line

    path = profile_path(name_or_path, PROFILE_DIR)
    if path.is_dir():
        return f"{name_or_path}: no profiles found in this folder (profiles are *.yml or *.yaml files)"
    if not path.is_file():
        return f"{name_or_path}: no such file (give a bundled profile name or the path of a profile YAML file)"
    try:
        data, lines = read_yaml(path)
    except UnicodeDecodeError as exc:
        return f"{path}:1: not UTF-8 text ({exc.reason} at byte {exc.start})"
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror or exc})"
    except Exception as exc:  # noqa: BLE001 - a YAML syntax or constructor error: report it with its line
        problem = getattr(exc, "problem", None) or str(exc)
        return f"{path}:{yaml_error_line(exc)}: invalid YAML: {problem}"
    try:
        Terms.from_dict(data, origin=str(path), lines=lines)
    except CalculatorInputError as exc:
        return str(exc)
    return None


def _given(arg: str) -> list[str]:
    """A profile given on the command line: a bundled name, a file, or a folder (every ``*.yml`` and ``*.yaml`` in it;
    a folder without any is reported as no such file).

    >>> _given("cmb"), [Path(p).name for p in _given("calculators/profiles")]
    (['cmb'], ['bocom.yml', 'ccb.yml', 'cmb.yml', 'icbc.yml'])
    """
    folder = Path(arg)
    if not folder.is_dir():
        return [arg]
    found = sorted(str(p) for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    return found or [arg]  # (check_profile reports it: no profiles in this folder)


def main(argv: list[str]) -> int:
    """Validate everything; print one line per problem; return the exit status."""
    if any(arg in ("-h", "--help") for arg in argv):
        print(__doc__.strip())
        return 0
    named = [p.stem for p in sorted(PROFILE_DIR.glob("*.yml"))] + [path for a in argv if a.strip() for path in _given(a)]
    # one check per file, whatever it was called ("cmb" and calculators/profiles/cmb.yml are one profile)
    profiles = list({profile_path(name, PROFILE_DIR).resolve(): name for name in reversed(named)}.values())[::-1]
    problems = [problem for problem in map(check_profile, profiles) if problem]
    if problems:
        print("profiles: invalid\n" + "\n".join(problems), file=sys.stderr)
        return 1
    # the knowledge base is checked with the profile the build uses; with a folder given (make check-data
    # PROFILE=folder), with each profile in it, since any of them may be the one a build uses
    selected = os.environ.get(PROFILE_ENV, "").strip()
    builds = _given(selected) if selected and Path(selected).is_dir() else [selected]
    count = 0
    for build in builds:
        for loaded in (exercises.load_path, roleplay.load_path, situations._handbook):  # (they check figures with the profile)
            loaded.cache_clear()
        try:
            with _profile_env(build):
                count = validate_all()
        except (ProcedureFileError, CalculatorInputError) as error:  # (an exercise whose figure the profile cannot give)
            with_profile = f" (with profile {build})" if len(builds) > 1 else ""
            print(f"procedures: invalid{with_profile}\n{error}", file=sys.stderr)
            return 1
    print(f"procedures: {count} files valid, all cross-references resolve; profiles: {len(profiles)} valid "
          f"({', '.join(profiles)})")
    return 0


@contextmanager
def _profile_env(profile: str) -> Iterator[None]:
    """``$HANDBOOK_PROFILE`` set to ``profile`` (unset if empty) while the knowledge base is checked."""
    before = os.environ.get(PROFILE_ENV)
    if profile:
        os.environ[PROFILE_ENV] = profile
    else:
        os.environ.pop(PROFILE_ENV, None)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PROFILE_ENV, None)
        else:
            os.environ[PROFILE_ENV] = before


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
