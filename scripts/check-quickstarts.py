#!/usr/bin/env python3
"""The README's quickstarts are the examples' code: each fenced block introduced by a line that
links an example file and ends with ':' must equal that file. `--fix` rewrites the blocks from
the files. Run by examples/run-all.sh."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
LINK = re.compile(r"\]\(((?:core/)?examples/[^)\s]+)\)")


def blocks(lines):
    """(example path, first code line, end line) for each quickstart block."""
    i = 0
    while i < len(lines):
        if lines[i].startswith("```") and lines[i].strip() != "```":
            intro = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            links = LINK.findall(intro)
            end = next(k for k in range(i + 1, len(lines)) if lines[k].strip() == "```")
            if intro.rstrip().endswith(":") and links:
                if not (ROOT / links[0]).is_file():
                    sys.exit(f"README.md links {links[0]} before a code block, and it does not exist")
                yield links[0], i + 1, end
            i = end
        i += 1


def main():
    fix = "--fix" in sys.argv
    lines = README.read_text().split("\n")
    found, stale = 0, []
    for path, start, end in reversed(list(blocks(lines))):
        found += 1
        code = (ROOT / path).read_text().rstrip("\n").split("\n")
        if lines[start:end] != code:
            stale.append(path)
            lines[start:end] = code
    if fix and stale:
        README.write_text("\n".join(lines))
    if found == 0:
        sys.exit("check-quickstarts: no quickstart block found in README.md")
    if stale and not fix:
        sys.exit(f"README.md quickstarts differ from {', '.join(reversed(stale))} "
                 "(scripts/check-quickstarts.py --fix rewrites them)")
    print(f"ok   README quickstarts: {found} blocks equal their example files"
          + (f" (rewrote {len(stale)})" if stale else ""))


main()
