"""A real local Ray cluster for the cluster tests: a head bound to 127.0.0.1 with its own
temp dir, no dashboard, no usage stats, a small explicit object store and two CPUs (fractions
of them per actor). It is stopped by its own process group only, never with ``ray stop``
(which would kill every Ray process on the machine)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_ray_cluster(cpus: int = 2) -> Iterator[str]:
    """Start a head node (it runs the workers too); yield its address; stop what we started."""
    ray_cli = Path(sys.executable).parent / "ray"
    # Ray's socket paths must stay short: a temp dir of our own right under the system's.
    temp = tempfile.mkdtemp(prefix="psray", dir="/tmp" if os.path.isdir("/tmp") else None)
    port = free_port()
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep),
        "RAY_USAGE_STATS_ENABLED": "0", "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1",
    })
    cmd = [str(ray_cli), "start", "--head", "--block", "--node-ip-address=127.0.0.1",
           f"--port={port}", "--include-dashboard=false", "--disable-usage-stats",
           f"--temp-dir={temp}", "--object-store-memory=150000000", f"--num-cpus={cpus}",
           "--num-gpus=0"]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        address = f"127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # the GCS answers: the head is up
            if proc.poll() is not None:
                raise RuntimeError(f"ray start exited with {proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the Ray head did not come up in 90 s")
        time.sleep(2)  # the raylet registers after the GCS listens
        yield address
    finally:
        _stop(proc)
        shutil.rmtree(temp, ignore_errors=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the processes of this cluster only: the ``ray start`` we ran and its group."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            time.sleep(1)
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # anything of the group still left
        os.killpg(proc.pid, signal.SIGKILL)
