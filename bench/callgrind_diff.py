"""Instructions per message of each function, from two callgrind runs of the same client that
differ only in how many messages they send: (large − small) / (LARGE − SMALL), which leaves
start-up out as bench/instructions.sh does for the totals.

    python3 bench/callgrind_diff.py SMALL.out LARGE.out MESSAGES [--top N] [--sum REGEX ...]

MESSAGES is LARGE − SMALL. Prints the total, each `--sum` group (functions whose name matches
the regex, e.g. 'malloc\\.c' for glibc's malloc and free), then the top N functions by their
own instructions (not counting callees). Runs made with e.g.
`valgrind --tool=callgrind --callgrind-out-file=small.out BENCH 10000 8 current` and the same
with 40000 (BENCH as in bench/instructions.sh, a sandbox started as in bench/lib.sh)."""
import argparse
import re
import subprocess


def self_cost(path):
    """Instructions per function (self cost) of a callgrind output."""
    out = subprocess.run(["callgrind_annotate", "--threshold=100", path],
                         capture_output=True, text=True, check=True).stdout
    costs = {}
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(.*)$", line)
        if m and "PROGRAM TOTALS" not in line:
            name = re.sub(r" \[[^\]]*\]$", "", m.group(2))
            costs[name] = costs.get(name, 0) + int(m.group(1).replace(",", ""))
    return costs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("small")
    p.add_argument("large")
    p.add_argument("messages", type=int)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--sum", action="append", default=[])
    a = p.parse_args()
    small, large = self_cost(a.small), self_cost(a.large)
    per_message = {k: (large.get(k, 0) - small.get(k, 0)) / a.messages for k in small.keys() | large.keys()}
    print(f"{sum(per_message.values()):8.0f}  total per message")
    for pattern in a.sum:
        total = sum(v for k, v in per_message.items() if re.search(pattern, k))
        print(f"{total:8.0f}  sum of /{pattern}/")
    for name, v in sorted(per_message.items(), key=lambda kv: -kv[1])[: a.top]:
        print(f"{v:8.0f}  {name[:140]}")


if __name__ == "__main__":
    main()
