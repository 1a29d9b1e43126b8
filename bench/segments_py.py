"""Python side of bench/segments.sh: instasent.segments (the binding) and the pure-Python
counter (segments_naive.py) on the texts of segments_gen.py.

    python bench/segments_py.py DIR
Prints one JSON line per implementation and case; writes DIR/counts-<impl>.txt (segments of
each corpus message, one a line) for the agreement check."""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from segments_naive import count_segments  # noqa: E402

import instasent  # noqa: E402

IMPLS = {
    "instasent (Python binding)": ("instasent-python", lambda t: instasent.segments(t).segments),
    "pure Python (StackOverflow-style)": ("naive-python", lambda t: count_segments(t)[1]),
}


def timed_big(count, text):
    count(text)
    calls, started = 0, time.perf_counter()
    while True:
        segs = count(text)
        calls += 1
        secs = time.perf_counter() - started
        if calls >= 3 and secs >= 1.0:
            return segs, calls, secs


def main():
    d = Path(sys.argv[1])
    corpus = [json.loads(line) for line in open(d / "corpus.jsonl", encoding="utf-8")]
    corpus_bytes = sum(len(t.encode()) for t in corpus)
    for name, (key, count) in IMPLS.items():
        for case in ("gsm7", "ucs2"):
            text = (d / f"{case}.txt").read_text(encoding="utf-8")
            segs, calls, secs = timed_big(count, text)
            print(json.dumps({"impl": name, "runtime": "python", "case": case, "bytes": len(text.encode()) * calls,
                              "calls": calls, "seconds": secs, "segments": segs}))
        for text in corpus[:10_000]:
            count(text)
        started = time.perf_counter()
        counts = [count(t) for t in corpus]
        secs = time.perf_counter() - started
        (d / f"counts-{key}.txt").write_text("".join(f"{c}\n" for c in counts))
        print(json.dumps({"impl": name, "runtime": "python", "case": "corpus", "bytes": corpus_bytes,
                          "calls": len(corpus), "seconds": secs, "segments": sum(counts)}))


if __name__ == "__main__":
    main()
