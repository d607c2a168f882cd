"""Peak resident memory and CPU time of each service (its process and children), sampled in the background."""

import threading
from collections.abc import Callable

import psutil


class PeakMemory:
    """Samples the RSS of each named process tree every ``interval`` seconds; keeps the peak."""

    def __init__(self, pids: dict[str, int], interval: float = 0.5) -> None:
        self.pids = pids
        self.interval = interval
        self.peaks_mb: dict[str, float] = dict.fromkeys(pids, 0.0)
        self.peak_total_mb = 0.0
        self.cpu_seconds: dict[str, float] = {}
        self._cpu_start: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._cpu_start = {name: self._tree_cpu(pid) for name, pid in self.pids.items()}
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu_seconds = {name: self._tree_cpu(pid) - self._cpu_start[name] for name, pid in self.pids.items()}

    @staticmethod
    def _sum_over_tree(pid: int, measure: Callable[[psutil.Process], float]) -> float:
        """``measure`` summed over a process and its children; processes that have gone count 0."""
        try:
            process = psutil.Process(pid)
            tree = [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for member in tree:
            try:
                total += measure(member)
            except psutil.NoSuchProcess:
                pass
        return total

    @classmethod
    def _tree_cpu(cls, pid: int) -> float:
        """User plus system CPU seconds of a process and its children so far."""
        return cls._sum_over_tree(pid, lambda p: sum(p.cpu_times()[:2]))  # user + system

    def _tree_rss_mb(self, pid: int) -> float:
        return self._sum_over_tree(pid, lambda p: p.memory_info().rss) / 2**20

    def _run(self) -> None:
        while True:
            current = {name: self._tree_rss_mb(pid) for name, pid in self.pids.items()}
            for name, value in current.items():
                self.peaks_mb[name] = max(self.peaks_mb[name], value)
            self.peak_total_mb = max(self.peak_total_mb, sum(current.values()))
            if self._stop.wait(self.interval):
                return
