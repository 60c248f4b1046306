"""The cost of one document grows linearly with its size (issue: nothing stuck).

Builds notices of growing size in memory -- a real letterhead and an opening sentence, then a
body of numbered items whose sentences run on for many lines without a full stop (the case
that made paragraph joining quadratic) -- writes each to a temporary TXT file, and times the
whole pipeline on it, median of ``--repeat`` runs in this process. Prints seconds, MB/s, and
each size's cost per MB relative to the smallest size (about 1.0 all the way means linear).

Run from the project root:  .venv/bin/python bench/bench_linear.py [--sizes 0.1,1,3,10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from extractor.pipeline import extract_file

HEAD = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/TB-UBND
Lào Cai, ngày 05 tháng 3 năm 2026
THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh
Chủ tịch UBND tỉnh kết luận như sau:
"""
LINE = "Sở Công Thương chủ trì phối hợp với các sở ngành rà soát đôn đốc kiểm tra việc thực hiện"


def notice(megabytes: float) -> str:
    """Items of 40 wrapped lines each, one sentence per item, up to ``megabytes`` of UTF-8."""
    target = int(megabytes * 1_000_000)
    parts, size, n = [HEAD], len(HEAD.encode()), 0
    while size < target:
        n += 1
        item = f"{n}. " + "\n".join([LINE] * 40) + " trước ngày 30/6/2026.\n"
        parts.append(item)
        size += len(item.encode())
    return "".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="0.1,1,3,10", help="megabytes, comma-separated")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [float(x) for x in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        extract_file(Path(tmp) / "warm.txt") if (Path(tmp) / "warm.txt").write_text(notice(0.01), encoding="utf-8") else None
        for mb in sizes:
            path = Path(tmp) / f"n{mb}.txt"
            path.write_text(notice(mb), encoding="utf-8")
            real = path.stat().st_size / 1e6
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                record = extract_file(path)
                times.append(time.perf_counter() - t)
            rows.append((real, statistics.median(times), len(record.tasks)))
    base = rows[0][1] / rows[0][0]
    print(f"{'MB':>6} {'seconds':>8} {'MB/s':>6} {'tasks':>6} {'s per MB vs smallest':>21}")
    for mb, seconds, tasks in rows:
        print(f"{mb:6.2f} {seconds:8.2f} {mb / seconds:6.2f} {tasks:6d} {seconds / mb / base:21.2f}")


if __name__ == "__main__":
    main()
