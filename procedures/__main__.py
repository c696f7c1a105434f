"""``python -m procedures [PROFILE ...]``: validate the knowledge base and every terms profile.

Checks every YAML file of the knowledge base, every bundled profile in
``calculators/profiles/`` and each profile given (a bundled name, a file
path, or a folder of profiles; ``make check-data PROFILE=path``).  A bad file is reported as
``file:line: problem`` with exit status 1, never as a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

from calculators.errors import CalculatorInputError
from calculators.terms import PROFILE_DIR, Terms

from . import ProcedureFileError, validate_all


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

    bundled = "/" not in name_or_path and not name_or_path.endswith((".yml", ".yaml")) and not Path(name_or_path).is_file()
    path = PROFILE_DIR / f"{name_or_path}.yml" if bundled else Path(name_or_path)  # (any existing file, as load_terms)
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
    return found or [arg]  # (check_profile reports it: no such file)


def main(argv: list[str]) -> int:
    """Validate everything; print one line per problem; return the exit status."""
    if any(arg in ("-h", "--help") for arg in argv):
        print(__doc__.strip())
        return 0
    profiles = [p.stem for p in sorted(PROFILE_DIR.glob("*.yml"))] + [path for a in argv if a.strip() for path in _given(a)]
    problems = [problem for problem in map(check_profile, dict.fromkeys(profiles)) if problem]
    if problems:
        print("profiles: invalid\n" + "\n".join(problems), file=sys.stderr)
        return 1
    try:
        count = validate_all()
    except ProcedureFileError as error:
        print(f"procedures: invalid\n{error}", file=sys.stderr)
        return 1
    except CalculatorInputError as error:  # e.g. an exercise that names a profile or figure that does not load
        print(f"procedures: invalid\n{error}", file=sys.stderr)
        return 1
    print(f"procedures: {count} files valid, all cross-references resolve; profiles: {len(dict.fromkeys(profiles))} valid "
          f"({', '.join(dict.fromkeys(profiles))})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
