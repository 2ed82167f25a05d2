"""Running management commands the way a test wants to read them."""

import io

from django.core.management import call_command


def run_ingest(*args) -> tuple[int, str, str]:
    """``manage.py ingest ARGS``: its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()
