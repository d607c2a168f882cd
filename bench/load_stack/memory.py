"""Peak resident memory of each service (its process and children), sampled in the background."""

import threading

import psutil


class PeakMemory:
    """Samples the RSS of each named process tree every ``interval`` seconds; keeps the peak."""

    def __init__(self, pids: dict[str, int], interval: float = 0.5) -> None:
        self.pids = pids
        self.interval = interval
        self.peaks_mb: dict[str, float] = dict.fromkeys(pids, 0.0)
        self.peak_total_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree_rss_mb(self, pid: int) -> float:
        try:
            process = psutil.Process(pid)
            tree = [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0
        for member in tree:
            try:
                total += member.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / 2**20

    def _run(self) -> None:
        while True:
            current = {name: self._tree_rss_mb(pid) for name, pid in self.pids.items()}
            for name, value in current.items():
                self.peaks_mb[name] = max(self.peaks_mb[name], value)
            self.peak_total_mb = max(self.peak_total_mb, sum(current.values()))
            if self._stop.wait(self.interval):
                return
