"""Examples of the Python module `xmc` (the README's; checked by mypy --strict and run by
bindings/test_xmc.py).

    python3 examples.py CONFIG [NAME=VALUE ...]   compile one config, print its findings and xl.cfg
    python3 examples.py --to-xl DIR OUT           an xl.cfg in OUT for every *.cfg below DIR
"""

import os
import sys

import xmc


def compile_one(path: str, words: list[str]) -> int:
    """Compile one config as `xmc compile` does and print what xmc found."""
    result = xmc.compile(path, vars=words)
    for d in result.diagnostics:
        print(f"{d.file}:{d.line}:{d.column}: {d.severity}: {d.message} [{d.id}]")
    if not result.ok:
        return 1
    assert result.model is not None
    print("# guest type:", result.model["guest_type"])
    print(result.emit("xl"), end="")
    return 0


def errors_by_file(paths: list[str]) -> dict[str, int]:
    """Like `xmc check PATHS`: the number of errors in each file."""
    counts: dict[str, int] = {}
    for d in xmc.check(paths):
        if d.severity == "error":
            counts[d.file] = counts.get(d.file, 0) + 1
    return counts


def to_xl(directory: str, out: str) -> int:
    """Write OUT/NAME.xl.cfg for every NAME.cfg below DIRECTORY that compiles without errors."""
    failed = 0
    os.makedirs(out, exist_ok=True)
    for dirpath, _, files in os.walk(directory):
        for name in sorted(files):
            if not name.endswith(".cfg") or name.endswith(".xl.cfg"):
                continue
            result = xmc.compile(os.path.join(dirpath, name))
            text = result.emit("xl") if result.ok else None
            if text is None:
                failed += 1
                print(result.render(), end="", file=sys.stderr)
                continue
            with open(os.path.join(out, os.path.splitext(name)[0] + ".xl.cfg"), "w") as f:
                f.write(text)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--to-xl":
        sys.exit(to_xl(sys.argv[2], sys.argv[3]))
    if len(sys.argv) >= 2:
        sys.exit(compile_one(sys.argv[1], sys.argv[2:]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
