"""Division-name matching speed: ``find_mentions`` on a 60,000-character text.

    python benchmarks/divisions.py

Prints the median of repeated runs after one warm-up call (which builds the matcher).
"""

from __future__ import annotations

import statistics
import time

from govreport.divisions import find_mentions


def main(repeats: int = 20) -> None:
    text = (
        "今年以来，我们坚持稳中求进工作总基调，推动高质量发展，美丽钢城建设扎实推进，"
        "乡村振兴全面展开，济南都市圈建设提速。"
    ) * 1200
    text = text[:60000]
    t = time.perf_counter()
    find_mentions(text, 2024)
    warm = time.perf_counter() - t
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        find_mentions(text, 2024)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(f"first call (builds the matcher): {warm * 1000:.0f} ms")
    print(f"find_mentions on {len(text):,} chars: median {med * 1000:.1f} ms "
          f"({len(text) / med / 1e6:.1f} M chars/s) over {repeats} runs")


if __name__ == "__main__":
    main()
