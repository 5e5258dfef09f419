#!/usr/bin/env python3
"""The include graph runs one way (issue 21): every include of a project header from
another folder goes to a lower stage, never to one of the same stage or above, so that no
folder includes a folder that includes it back (as compiler/check/ once did: the per-config
check step below the pipeline, and the tree driver above it, in one folder).

The stages, lowest first; a folder of compiler/ is one unit, a file directly in compiler/
(host, pipeline) is one too, and so are cli/, bindings/, runtime/ and tools/. Test code
(`*_test.cc`, tests/) may include anything; nothing else includes test code (the fakes).
A new folder must be given its stage here: an
include from or to a unit not in the table fails the test.

Two more rules of the same graph: the typed writers (XenStore, xl.cfg, libxl JSON, libvirt)
and the runtime's plan read xend's derived model (compiler/derive/), so they cannot include,
directly or through other headers, the header that declares the key=value string pairs
(compiler/ir/key_value_spec.h); and no C++ source of compiler/, cli/ or runtime/ is over
700 lines (a file that holds several stages is split by stage; the embedded CPython
evaluator, compiler/frontend/python.cc, is the evaluator issue's to reshape).

Usage: layering_test.py"""

import os
import re
import subprocess
import sys

import xmtest

STAGES = [
    ['compiler/base'],
    ['compiler/host', 'compiler/ir'],
    ['compiler/schema'],
    ['compiler/frontend', 'compiler/check', 'compiler/lower'],
    ['compiler/resolve', 'compiler/derive'],
    ['compiler/emit'],
    ['compiler/sandbox', 'compiler/pipeline'],
    ['compiler/session'],
    ['compiler/tree'],
    ['runtime'],
    ['cli', 'bindings', 'tools'],
]
STAGE = {unit: i for i, units in enumerate(STAGES) for unit in units}
GENERATED = {'version.h'}  # written by the build (CMake), includes nothing of the project
STRING_PAIRS = 'compiler/ir/key_value_spec.h'
TYPED_WRITERS = ['compiler/emit/xenstore.cc', 'compiler/emit/xl.cc', 'compiler/emit/libxl_json.cc',
                 'compiler/emit/libvirt.cc', 'runtime/plan.cc']
MAX_LINES = 700
LINE_LIMITED = ('compiler/', 'cli/', 'runtime/')
NOT_LINE_LIMITED = {'compiler/frontend/python.cc'}


def includes_of(path):
    """The project headers `path` includes (its own lines)."""
    full = os.path.join(xmtest.SOURCE_DIR, path)
    if not os.path.exists(full):
        return []
    with open(full, errors='replace') as f:
        return [i for i in re.findall(r'^\s*#\s*include\s+"([^"]+)"', f.read(), re.M) if i not in GENERATED]


def reaches(path, target):
    """The include chain from `path` to `target`, or None."""
    seen, todo = {path: None}, [path]
    while todo:
        cur = todo.pop()
        for inc in includes_of(cur):
            if inc in seen:
                continue
            seen[inc] = cur
            if inc == target:
                chain = [inc]
                while seen[chain[-1]] is not None:
                    chain.append(seen[chain[-1]])
                return list(reversed(chain))
            todo.append(inc)
    return None


def unit_of(path):
    parts = path.split('/')
    if parts[0] == 'compiler':
        return 'compiler/' + (parts[1] if len(parts) > 2 else parts[1].rsplit('.', 1)[0])
    return parts[0]


def sources():
    listed = subprocess.run(['git', 'ls-files', '*.cc', '*.h'], cwd=xmtest.SOURCE_DIR, stdout=subprocess.PIPE,
                            text=True, check=True).stdout.split()
    return [f for f in listed if not f.endswith('_test.cc') and not f.startswith('tests/')]


def main():
    tally = xmtest.Tally()
    files = sources()
    tally.check(len(files) > 50, 'the sources are found (%d)' % len(files))
    edges = 0
    for path in files:
        source = unit_of(path)
        with open(os.path.join(xmtest.SOURCE_DIR, path), errors='replace') as f:
            includes = re.findall(r'^\s*#\s*include\s+"([^"]+)"', f.read(), re.M)
        for inc in includes:
            if inc in GENERATED:
                continue
            if inc.startswith('tests/'):
                tally.check(False, '%s includes %s: test code (fakes) is not for the programs xmc ships' % (path, inc))
                continue
            target = unit_of(inc)
            if target == source:
                continue
            edges += 1
            known = source in STAGE and target in STAGE
            tally.check(known, '%s includes %s: %s has no stage in the table' % (
                path, inc, source if source not in STAGE else target))
            if known:
                tally.check(STAGE[target] < STAGE[source], '%s (stage %d, %s) includes %s (stage %d, %s): an include '
                            'may only go to a lower stage' % (path, STAGE[source], source, inc, STAGE[target], target))
    tally.check(edges > 50, 'includes between units are found (%d)' % edges)
    # The typed writers see xend's model, not the strings.
    tally.check(reaches('compiler/derive/xend_model.cc', STRING_PAIRS) is not None,
                'the derived model reads the string pairs (the rule below can see an include)')
    for writer in TYPED_WRITERS:
        tally.check(os.path.exists(os.path.join(xmtest.SOURCE_DIR, writer)), '%s exists' % writer)
        chain = reaches(writer, STRING_PAIRS)
        tally.check(chain is None, '%s reads the key=value strings: %s' % (writer, ' -> '.join(chain or [])))
    # One stage per file.
    limited = [f for f in files if f.startswith(LINE_LIMITED) and f not in NOT_LINE_LIMITED]
    for path in limited:
        with open(os.path.join(xmtest.SOURCE_DIR, path), errors='replace') as f:
            n = sum(1 for _ in f)
        tally.check(n <= MAX_LINES, '%s has %d lines (at most %d: split it by stage)' % (path, n, MAX_LINES))
    return tally.finish('layering (%d files, %d includes between units)' % (len(files), edges))


if __name__ == '__main__':
    sys.exit(main())
