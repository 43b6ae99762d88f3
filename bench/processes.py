"""The servers a bench starts (gunicorn, a Celery worker), each in a process group of its own."""

from __future__ import annotations

import os
import signal
import subprocess


def stop(process: subprocess.Popen, grace: float) -> None:
    """Ends the process's group: asked to stop, then killed if it is still there after `grace`
    seconds."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
