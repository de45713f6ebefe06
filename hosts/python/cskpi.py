"""Python binding of libcskpi (ctypes over abi/cskpi.h), for ERPs written in
Python (Tryton, Odoo, ERPNext) and for scripts.

    import cskpi
    with cskpi.Engine({"source": {"backend": "postgresql", "connection": "dbname=erp",
                                  "profile": "tryton"}}) as engine:
        rows = engine.compute(table="kpis", granularity="month")   # list of dicts
        summary = engine.nightly(as_of="2026-10-31")               # dict

Errors raise cskpi.Error with the library's status name and message;
cskpi.Busy when another nightly run holds the lock. The library is found via
the CSKPI_LIBRARY environment variable, else the loader's search path
(libcskpi.so.1).
"""
import ctypes
import json
import os

_vp, _cp = ctypes.c_void_p, ctypes.c_char_p
_PROGRESS = ctypes.CFUNCTYPE(ctypes.c_int, _vp, _cp, ctypes.c_int64, ctypes.c_int64)
_LOG = ctypes.CFUNCTYPE(None, _vp, ctypes.c_int, _cp)

STATUS_NAMES = ["CSKPI_OK", "CSKPI_ERROR", "CSKPI_MISUSE", "CSKPI_CONFIG", "CSKPI_PROFILE", "CSKPI_SOURCE",
                "CSKPI_BUSY", "CSKPI_CANCELLED", "CSKPI_NOMEM", "CSKPI_NOT_FOUND"]


class Error(RuntimeError):
    """A failed call: .status is the cskpi_status name, str() the message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = STATUS_NAMES[status] if 0 <= status < len(STATUS_NAMES) else str(status)


class Busy(Error):
    """Another nightly run holds the lock; nothing was written."""


def _load(path=None):
    lib = ctypes.CDLL(path or os.environ.get("CSKPI_LIBRARY") or "libcskpi.so.1")
    sig = {
        "cskpi_version": ([], _cp), "cskpi_abi_version": ([], ctypes.c_int), "cskpi_last_error": ([], _cp),
        "cskpi_engine_open": ([_cp, ctypes.POINTER(_vp)], ctypes.c_int), "cskpi_engine_close": ([_vp], None),
        "cskpi_engine_error": ([_vp], _cp), "cskpi_engine_set_progress": ([_vp, _PROGRESS, _vp], ctypes.c_int),
        "cskpi_engine_set_log": ([_vp, _LOG, _vp], ctypes.c_int),
        "cskpi_compute": ([_vp, _cp, ctypes.POINTER(_vp)], ctypes.c_int),
        "cskpi_nightly": ([_vp, _cp, ctypes.POINTER(_vp)], ctypes.c_int),
        "cskpi_result_json": ([_vp], _cp), "cskpi_result_free": ([_vp], None),
        "cskpi_result_text": ([_vp, ctypes.c_int64, ctypes.c_int32], _cp),
        "cskpi_report": ([_vp, _cp, ctypes.POINTER(_vp)], ctypes.c_int),  # ABI 1.1
    }
    for name, (args, res) in sig.items():
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, res
    return lib


_lib = None


def library():
    """The loaded libcskpi (loaded on first use)."""
    global _lib
    if _lib is None:
        _lib = _load()
    return _lib


def version():
    return library().cskpi_version().decode()


class Engine:
    """One configured source (cskpi_engine). Use from one thread at a time."""

    def __init__(self, config, progress=None, log=None):
        """config: dict or JSON text. progress(phase, done, total) -> truthy to cancel;
        log(level, message)."""
        lib = library()
        text = config if isinstance(config, str) else json.dumps(config)
        self._handle = _vp()
        status = lib.cskpi_engine_open(text.encode(), ctypes.byref(self._handle))
        if status != 0:
            raise Error(status, lib.cskpi_last_error().decode())
        # Keep the ctypes callbacks alive as long as the engine.
        self._progress = _PROGRESS(lambda _u, phase, done, total: 1 if progress(phase.decode(), done, total) else 0) \
            if progress else None
        self._log = _LOG(lambda _u, level, message: log(level, message.decode())) if log else None
        if self._progress:
            lib.cskpi_engine_set_progress(self._handle, self._progress, None)
        if self._log:
            lib.cskpi_engine_set_log(self._handle, self._log, None)

    def _call(self, fn, payload, read=None):
        lib = library()
        result = _vp()
        status = fn(self._handle, json.dumps(payload).encode(), ctypes.byref(result))
        if status != 0:
            cls = Busy if STATUS_NAMES[status] == "CSKPI_BUSY" else Error
            # A call refused as misuse (the engine busy in another thread)
            # leaves the engine's message alone: the reason is the thread's.
            message = lib.cskpi_last_error() if STATUS_NAMES[status] == "CSKPI_MISUSE" else lib.cskpi_engine_error(self._handle)
            raise cls(status, message.decode())
        try:
            return read(result) if read else json.loads(lib.cskpi_result_json(result).decode())
        finally:
            lib.cskpi_result_free(result)

    def compute(self, **request):
        """One table as a list of dicts; keys of the request JSON (table, as_of, granularity, from, to)."""
        if "from_" in request:
            request["from"] = request.pop("from_")
        return self._call(library().cskpi_compute, request)

    def nightly(self, **options):
        """Writes the snapshot (options: as_of, granularities, lookback_periods, full); returns the run summary."""
        return self._call(library().cskpi_nightly, options)[0]

    def report(self, **options):
        """The HTML report as text (options: as_of, granularity, segment, lang "en" | "pt-BR",
        sections, run_id; docs/report.md)."""
        lib = library()
        return self._call(lib.cskpi_report, options, lambda r: lib.cskpi_result_text(r, 0, 0).decode())

    def close(self):
        if self._handle:
            library().cskpi_engine_close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()
