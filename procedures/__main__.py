"""``python -m procedures``: validate every knowledge-base file and report what was checked."""

import sys

from . import ProcedureFileError, validate_all

try:
    count = validate_all()
except ProcedureFileError as error:
    print(f"procedures: invalid\n{error}", file=sys.stderr)
    sys.exit(1)
print(f"procedures: {count} files valid, all cross-references resolve")
