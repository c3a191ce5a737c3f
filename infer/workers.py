"""More than one process on one machine: `lawie predict --workers N`.

    from lawie.infer.workers import extract_parallel
    for doc in extract_parallel(docs, workers=2, model=None):   # same documents, same order
        ...

Each worker is a fresh (spawned) process that loads the model once and runs with
cores // N torch threads, so N workers do not oversubscribe the cores. Documents go out in chunks,
at most 2 chunks per worker in flight (memory stays bounded on any input size), and come back in
input order. A document the Extractor refuses stops the run as it does in one process: everything
before it is yielded, then LawieError is raised. A worker that dies (killed, out of memory) raises
LawieError naming how many documents were done; Ctrl-C stops the workers and keeps what was written.

Why `datasets.map(num_proc=N)` (or any fork) over an Extractor used to hang: multiprocessing forks
the parent, and a forked child inherits torch's OpenMP thread pool as a copy without its threads;
the child's first parallel operator (the embedding lookup) then waits forever for them.
`guard_fork()`, which Extractor.load calls, makes every forked child run torch on one thread,
which never enters the inherited pool; N forked children then use N cores.
"""
from __future__ import annotations

import os
import signal
from collections import deque
from typing import Iterable, Iterator

_FORK_GUARDED = False


def _one_thread_after_fork() -> None:
    import torch
    torch.set_num_threads(1)


def guard_fork() -> None:
    """Once per process: forked children run torch single-threaded (see the module docstring)."""
    global _FORK_GUARDED
    if not _FORK_GUARDED and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_one_thread_after_fork)
        _FORK_GUARDED = True


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    return max(1, (cores or available_cores()) // max(1, workers))


# ----------------------------------------------------------------------------- in the worker

_EX = None
_LOAD_ERROR = None


def _init_worker(load_kwargs: dict, threads: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's to handle
    os.environ["OMP_NUM_THREADS"] = str(threads)
    global _EX, _LOAD_ERROR
    try:
        import torch
        torch.set_num_threads(threads)
        from lawie.infer.api import Extractor
        _EX = Extractor.load(**load_kwargs)
    except Exception as e:            # reported with the first chunk, as one line
        _LOAD_ERROR = (str(e).splitlines() or [type(e).__name__])[0]


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return f"{type(e).__name__}: {text.splitlines()[0]}" if text else type(e).__name__


def _run_chunk(docs: list[dict], batch_size: int, isolate: bool = False):
    """(items, error message or None); items are ("ok", output) or ("error", source, reason).
    Without `isolate`, the outputs before a refused document are kept and its error ends the
    chunk; with it, a chunk that fails is run one document at a time and only the failing ones are
    lost (as lawie.infer.isolate does in one process)."""
    from lawie.infer.api import LawieError
    if _EX is None:
        raise LawieError(f"worker could not load the model: {_LOAD_ERROR}")
    run = lambda ds: list(_EX.extract_docs(ds, batch_size=batch_size, chunk=max(1, len(ds))))  # noqa: E731
    if isolate:
        try:
            outs = run(docs)
            if len(outs) == len(docs):
                return [("ok", o) for o in outs], None
        except Exception:                 # noqa: BLE001 - find the document that fails
            pass
        items = []
        for d in docs:
            try:
                items.append(("ok", run([d])[0]))
            except Exception as e:        # noqa: BLE001
                items.append(("error", d.get("_source") or f"document {d.get('id')!r}",
                              _first_line(e)))
        return items, None
    out = []
    try:
        for d in _EX.extract_docs(docs, batch_size=batch_size, chunk=max(1, len(docs))):
            out.append(("ok", d))
    except LawieError as e:
        return out, str(e)
    return out, None


# ----------------------------------------------------------------------------- in the parent

class _no_sigint:
    """Ignore SIGINT while workers are spawned, so that they start with it ignored (a spawned
    Python keeps an ignored SIGINT) and Ctrl-C reaches the parent only."""

    def __init__(self, active: bool):
        self.active, self.old = active, None

    def __enter__(self):
        if self.active:
            try:
                self.old = signal.signal(signal.SIGINT, signal.SIG_IGN)
            except ValueError:            # not the main thread: nothing to do
                self.old = None

    def __exit__(self, *exc):
        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)


def extract_parallel(docs: Iterable[dict], workers: int = 2, batch_size: int = 8,
                     chunk: int = 8, threads: int | None = None, on_error=None,
                     **load_kwargs) -> Iterator[dict]:
    """Output documents of `docs` ({"id", "text", "meta"}), in input order, from `workers` processes.
    `load_kwargs` go to Extractor.load in each worker (path, device, precision, threshold,
    whole_words, quantize, disable_rules). `threads`: torch threads per worker (default
    cores // workers). `on_error(source, reason)`: when given, a document that fails is reported
    through it (in this process, in input order) and skipped, and the run goes on; without it the
    first failure raises LawieError after everything before it was yielded.

    The model is checked in this process first, so that a wrong --model fails at once."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from lawie.infer.api import LawieError, resolve_model_dir
    load_kwargs = dict(load_kwargs)
    load_kwargs["path"] = str(resolve_model_dir(load_kwargs.get("path")))
    if load_kwargs.get("device") not in (None, "cpu"):
        from lawie.infer.runtime import resolve_device
        try:
            resolve_device(load_kwargs["device"])
        except (RuntimeError, ValueError) as e:
            raise LawieError(str(e)) from None
    threads = threads or threads_per_worker(workers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                               initializer=_init_worker, initargs=(load_kwargs, threads))
    pending: deque = deque()
    done = 0
    clean_exit = False
    try:
        it = iter(docs)
        buf: list[dict] = []
        exhausted, input_error, submitted = False, None, 0
        while True:
            while not exhausted and len(pending) < 2 * workers:
                try:
                    buf.append(next(it))
                    if len(buf) < chunk:
                        continue
                except StopIteration:
                    exhausted = True
                except KeyboardInterrupt:
                    raise
                except BaseException as e:  # e.g. --errors=fail on a bad record: what was read
                    input_error, exhausted = e, True     # before it is still extracted
                if buf:
                    with _no_sigint(submitted < workers):   # workers are spawned here
                        pending.append(pool.submit(_run_chunk, buf, batch_size,
                                                   on_error is not None))
                    submitted += 1
                    buf = []
            if not pending:
                break
            fut = pending.popleft()
            try:
                outs, error = fut.result()
            except BrokenProcessPool:
                raise LawieError(f"a worker process died (killed or out of memory?) after {done} "
                                 "document(s); those were written") from None
            except LawieError:
                raise
            except Exception as e:       # the model failed to load in a worker, or a bug
                msg = str(e).splitlines()[0] if str(e) else type(e).__name__
                raise LawieError(f"worker: {msg}") from None
            for item in outs:
                if item[0] == "ok":
                    done += 1
                    yield item[1]
                else:
                    on_error(item[1], item[2])
            if error:
                raise LawieError(error)
        if input_error is not None:
            raise input_error
        clean_exit = True
    finally:
        for f in pending:
            f.cancel()
        if clean_exit:
            pool.shutdown(wait=True)
        else:                             # error, Ctrl-C or the consumer stopped early
            procs = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for p in procs:
                if p.is_alive():
                    p.terminate()
            for p in procs:
                p.join(timeout=5)
