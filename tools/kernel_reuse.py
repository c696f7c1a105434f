"""One kernel per build process, reset between pages, instead of a new kernel for every executed page.

MyST-NB executes each page that is not in the execution cache through
jupyter-cache's ``single_nb_execution``, which starts a new IPython kernel, runs
the cells and shuts the kernel down: about 0.7 s of start-up per page, plus the
page's imports (``calculators``, ``procedures``, pydantic, YAML) done again in
every kernel.  :func:`install` replaces that function, for MyST-NB only, by
:func:`execute_reusing_kernel`, which keeps one kernel per process (each of
Sphinx's parallel reader processes has its own) and, before each page:

* resets the kernel's session (``InteractiveShell.reset(new_session=True)``):
  the user namespace is emptied (a page cannot use a name another page defined)
  and execution counts start again at 1, as in a fresh kernel;
* changes the kernel's working directory to the page's folder (what a fresh
  kernel started there would have).

Imported modules stay loaded: that is the saving.  A page that fails, times out
or kills its kernel gets its kernel discarded, so the next page starts a fresh
one; an execution error is reported exactly as before (same exception, same
traceback text).  Each page still runs alone in a fresh kernel in the nbval
tests (``make test``), which would catch a page that only works after another.
``HANDBOOK_KERNEL_REUSE=0`` turns reuse off (a fresh kernel per page).

The kernels are shut down when the reader process has handed its results back
to the main process (Sphinx's parallel tasks end with ``os._exit``, which skips
``atexit``) and, in a serial build, when the build process exits.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import traceback
from typing import Any

_KERNELS: dict[tuple[int, str], Any] = {}  # (process id, kernel name) -> a started AsyncKernelManager
_INSTALLED = False

# Run silently before every page except the first in a kernel.  Not stored in the history; its iopub messages
# carry its own message id, which the notebook client ignores while it waits for the cells' outputs.
PREAMBLE = "import os as _hb_os; _hb_os.chdir({cwd}); del _hb_os; get_ipython().reset(new_session=True)"


def enabled() -> bool:
    """Whether kernels are reused (``HANDBOOK_KERNEL_REUSE=0`` turns it off).

    >>> saved = os.environ.pop("HANDBOOK_KERNEL_REUSE", None)
    >>> on = enabled(); os.environ["HANDBOOK_KERNEL_REUSE"] = "0"; off = enabled()
    >>> _ = os.environ.pop("HANDBOOK_KERNEL_REUSE") if saved is None else os.environ.update(HANDBOOK_KERNEL_REUSE=saved)
    >>> on, off
    (True, False)
    """
    return os.environ.get("HANDBOOK_KERNEL_REUSE", "1") != "0"


def preamble(cwd: str) -> str:
    """The code that makes a used kernel look fresh for a page executed in ``cwd``.

    >>> preamble("/tmp/book/calc")
    'import os as _hb_os; _hb_os.chdir("/tmp/book/calc"); del _hb_os; get_ipython().reset(new_session=True)'
    """
    return PREAMBLE.format(cwd=json.dumps(cwd, ensure_ascii=False))


class ResetFailed(RuntimeError):
    """The reused kernel did not accept the reset before a page (the page is then run on a new kernel)."""


@functools.lru_cache(maxsize=None)
def _client_class():
    from nbclient import NotebookClient

    class ReusingClient(NotebookClient):
        """A notebook client on a kernel that outlives it; it resets the kernel before the first cell."""

        fresh_kernel = False

        async def async_start_new_kernel(self, **kwargs: Any) -> None:
            self.fresh_kernel = True
            await super().async_start_new_kernel(**kwargs)

        async def async_start_new_kernel_client(self):
            kc = await super().async_start_new_kernel_client()
            if not self.fresh_kernel:
                cwd = self.resources.get("metadata", {}).get("path") or os.getcwd()
                msg_id = kc.execute(preamble(os.path.abspath(cwd)), silent=True, store_history=False)
                reply = await self.async_wait_for_reply(msg_id)
                if reply is None or reply["content"].get("status") != "ok":
                    raise ResetFailed(f"resetting the reused kernel failed: {reply and reply['content']}")
            return kc

    return ReusingClient


def _kernel_manager(nb, kernel_name: str | None):
    from jupyter_client.manager import AsyncKernelManager

    name = kernel_name or nb.metadata.get("kernelspec", {}).get("name") or "python3"
    key = (os.getpid(), name)
    km = _KERNELS.get(key)
    if km is not None and km.has_kernel:
        from jupyter_core.utils import run_sync

        if not run_sync(km.is_alive)():  # the last page ended its kernel (os._exit, a crash): start a new one
            discard(key)
            km = None
    if km is None:
        km = _KERNELS[key] = AsyncKernelManager(kernel_name=name)
    return key, km


def discard(key) -> None:
    """Stop and forget the kernel under ``key`` (one of this process's; an unknown key is nothing to do).

    >>> discard((os.getpid(), "no-such-kernel"))
    """
    km = _KERNELS.pop(key, None)
    if km is None or key[0] != os.getpid():
        return
    from jupyter_core.utils import run_sync

    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 (a kernel that is already gone needs nothing more)
        pass


def shutdown_all() -> None:
    """Stop every kernel this process started (kernels inherited through fork belong to the parent).

    >>> shutdown_all(); [key for key in _KERNELS if key[0] == os.getpid()]
    []
    """
    for key in [key for key in _KERNELS if key[0] == os.getpid()]:
        discard(key)


def execute_reusing_kernel(nb, cwd, timeout, allow_errors, meta_override=True, record_timing=False, **kwargs):
    """jupyter-cache's ``single_nb_execution`` (same arguments, same result) on this process's kernel.

    Two notebooks, one kernel: the second sees none of the first's names, and its count starts at 1.

    >>> import nbformat
    >>> spec = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    >>> first = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 6 * 7\\nx")], metadata=spec)
    >>> second = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("'x' in globals()")], metadata=spec)
    >>> results = [execute_reusing_kernel(nb, cwd=None, timeout=60, allow_errors=False) for nb in (first, second)]
    >>> [(r.err, r.nb.cells[0].outputs[0]["data"]["text/plain"], r.nb.cells[0].execution_count) for r in results]
    [(None, '42', 1), (None, 'False', 1)]
    >>> len([key for key in _KERNELS if key[0] == os.getpid()]); shutdown_all()
    1
    """
    from jupyter_cache.executors.utils import ExecutionResult
    from jupyter_cache.utils import Timer
    from nbclient.client import CellExecutionError, CellTimeoutError

    if meta_override and "execution" in nb.metadata:
        timeout = nb.metadata.execution.get("timeout", timeout)
        allow_errors = nb.metadata.execution.get("allow_errors", allow_errors)
    kernel_name = kwargs.pop("kernel_name", None)
    error = exc_string = None
    timer = Timer()
    with timer:
        for attempt in (1, 2):
            key, km = _kernel_manager(nb, kernel_name)
            client = _client_class()(nb, resources={"metadata": {"path": cwd}} if cwd else {}, km=km, timeout=timeout,
                                     allow_errors=allow_errors, record_timing=record_timing, **kwargs)
            healthy = False
            try:
                client.execute()
                healthy = True
            except ResetFailed:
                if attempt == 2:
                    raise
                continue  # before any cell ran: once more, on a new kernel
            except (CellExecutionError, CellTimeoutError) as err:
                error, exc_string = err, "".join(traceback.format_exc())
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()
                if not healthy:  # a failed page may leave the kernel busy, broken or dead: the next gets a new one
                    discard(key)
            break
    return ExecutionResult(nb, cwd, timer.last_split, error, exc_string)


def _shutdown_after_task(process):
    """Wrap Sphinx's ``ParallelTasks._process``: stop this reader process's kernels once its results are sent."""
    @functools.wraps(process)
    def run(self, pipe, func, arg):
        try:
            process(self, pipe, func, arg)
        finally:
            shutdown_all()

    return run


def install() -> None:
    """Make MyST-NB's cache-mode execution reuse kernels (idempotent; nothing happens when disabled).

    >>> import myst_nb.core.execute.cache as mystnb_cache
    >>> saved, before = os.environ.get("HANDBOOK_KERNEL_REUSE"), mystnb_cache.single_nb_execution
    >>> os.environ["HANDBOOK_KERNEL_REUSE"] = "0"; install(); mystnb_cache.single_nb_execution is before
    True
    >>> _ = os.environ.pop("HANDBOOK_KERNEL_REUSE") if saved is None else os.environ.update(HANDBOOK_KERNEL_REUSE=saved)
    """
    global _INSTALLED
    if _INSTALLED or not enabled():
        return
    import myst_nb.core.execute.cache as mystnb_cache
    from sphinx.util import parallel

    mystnb_cache.single_nb_execution = execute_reusing_kernel
    parallel.ParallelTasks._process = _shutdown_after_task(parallel.ParallelTasks._process)
    atexit.register(shutdown_all)
    _INSTALLED = True
