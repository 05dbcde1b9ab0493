"""Where the per-batch function runs: in this process, or as a Ray Data job on a Ray cluster.

Both engines feed the same :class:`~.worker.BatchWorker` the same batches (one Ray block per
batch) and hand each committed ledger back to ``on_batch`` as it arrives, so progress, resumption
and output are identical. On Ray the workers are a pool of actors (``map_batches`` with an
:class:`ActorPoolStrategy`), each one CPU, loading the models once; the input files and the
output folder must be visible at the same path on every node (a shared mount).
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable

import pyarrow as pa

from ..config import Settings
from ..errors import PbmError
from .plan import FileTask
from .worker import BatchWorker, WorkerOptions

TASK_SCHEMA = pa.schema([("path", pa.string()), ("file_hash", pa.string()), ("size", pa.int64()),
                         ("mtime_ns", pa.int64())])
OnBatch = Callable[[pa.Table], None]


def task_batches(tasks: list[FileTask], batch_size: int) -> list[pa.Table]:
    return [pa.Table.from_pylist([t.row() for t in tasks[i:i + batch_size]], schema=TASK_SCHEMA)
            for i in range(0, len(tasks), batch_size)]


def run_local(tasks: list[FileTask], settings: Settings, options: WorkerOptions, batch_size: int,
              on_batch: OnBatch, worker: BatchWorker | None = None) -> int:
    """One worker in this process; returns the number of workers (1)."""
    if not tasks:
        return 1
    worker = worker or BatchWorker(settings, options)
    for batch in task_batches(tasks, batch_size):
        on_batch(worker(batch))
    return 1


class _RayWorker:
    """The Ray actor: a :class:`BatchWorker` built once in the actor's process."""

    def __init__(self, settings: Settings, options: WorkerOptions):
        self.worker = BatchWorker(settings, options)

    def __call__(self, batch: pa.Table) -> pa.Table:
        return self.worker(batch)


def ray_module():
    """Ray, or a clear error saying how to install it."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise PbmError("未安装 Ray：请运行 pip install 'pbm-nlp[scale]'（或 --engine local）。",
                       "Ray is not installed: pip install 'pbm-nlp[scale]' (or use --engine local).") from exc
    return ray


def connect(address: str | None, workers: int | None) -> tuple[object, bool]:
    """Join the cluster at ``address`` (or $RAY_ADDRESS), or start a local one with ``workers``
    CPUs; returns (ray, whether this call started it)."""
    ray = ray_module()
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # our progress lines replace Ray Data's
    if ray.is_initialized():
        return ray, False
    address = address or os.environ.get("RAY_ADDRESS") or None
    try:
        if address:
            ray.init(address=address, logging_level=logging.WARNING, log_to_driver=True)
        else:
            ray.init(num_cpus=workers or os.cpu_count() or 1, include_dashboard=False,
                     logging_level=logging.WARNING)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise PbmError(f"无法连接 Ray 集群 {address or '(本机)'}：{exc}。请检查 ray start --head 是否已运行、地址是否正确。",
                       f"cannot connect to the Ray cluster at {address or '(local)'}: {exc}. Check that "
                       "`ray start --head` is running there and the address (host:6379) is right.") from exc
    return ray, True


def worker_failure(exc: BaseException) -> PbmError:
    """The PbmError a Ray worker raised (a missing store, an unloadable model …), or a clear one."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, PbmError):
            return seen
        seen = getattr(seen, "cause", None) or seen.__cause__
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return PbmError(f"Ray 作业失败：{first}。已完成的批次已保存，修复后重新运行同一命令即可继续。",
                    f"the Ray job failed: {first}. Committed batches are kept: fix the cause and run the same "
                    "command again to continue.")


def run_ray(tasks: list[FileTask], settings: Settings, options: WorkerOptions, batch_size: int,
            on_batch: OnBatch, address: str | None = None, workers: int | None = None) -> int:
    """A Ray Data job: one block per batch, an actor pool of ``workers`` (default: the cluster's
    CPUs), each actor one CPU and one torch thread. Returns the number of workers used."""
    ray, started = connect(address, workers)
    try:
        size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        if not tasks:
            return size
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        blocks = task_batches(tasks, batch_size)
        ds = ray.data.from_arrow(blocks)
        out = ds.map_batches(_RayWorker, batch_size=batch_size, batch_format="pyarrow",
                             compute=ray.data.ActorPoolStrategy(size=min(size, len(blocks))), num_cpus=1,
                             fn_constructor_args=(settings, options))
        try:
            for ledger in out.iter_batches(batch_size=None, batch_format="pyarrow"):
                on_batch(ledger)
        except Exception as exc:  # a worker's failure arrives wrapped in Ray's errors
            raise worker_failure(exc) from exc
        return size
    finally:
        if started:
            ray.shutdown()
