"""A Dask worker preload for the crash test: the worker process exits (os._exit, as a segfault
or the OOM killer would end it) when it extracts a report whose text holds CRASH_MARK.

Loaded into every worker of the test's LocalCluster through Dask's own configuration
(DASK_DISTRIBUTED__WORKER__PRELOAD), so the batch code runs unchanged and a real process dies.
"""

from __future__ import annotations

import os

import borderwatch.workers
from borderwatch.extract import pipeline

CRASH_MARK = "INVENTED-CRASH-MARKER"


def _crashing(doc, *args, **kwargs):
    if CRASH_MARK in doc.text:
        os._exit(70)
    return pipeline.extract_report(doc, *args, **kwargs)  # the real one (preloads may run twice)


borderwatch.workers.extract_report = _crashing
