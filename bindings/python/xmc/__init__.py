"""xmc: compile and check Xen xm domain configuration files from Python.

    >>> import xmc
    >>> r = xmc.compile("/etc/xen/web1.cfg", vars={"vmid": "3"})
    >>> r.ok, [str(d) for d in r.diagnostics]
    >>> print(r.emit("xl"))

A config's Python code is never run in this interpreter: it goes to xmc's sandboxed
evaluator (xmc-eval), as with the xmc command. Misuse raises UsageError; a bad config
never raises, it gives diagnostics.
"""

from xmc._xmc import (
    Backend as Backend,
    Diagnostic as Diagnostic,
    Result as Result,
    UsageError as UsageError,
    __version__ as __version__,
    backends as backends,
    check as check,
    compile as compile,
    schema as schema,
)

__all__ = ["Backend", "Diagnostic", "Result", "UsageError", "backends", "check", "compile", "schema"]
