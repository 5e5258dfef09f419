"""Benchmark: xmc's native path, xmc's Python path and the real xl parser on the same
declarative configs (those of ../shared/corpus that both xmc's native parser and xl 4.17
accept). Each command is run REPEAT times per file; the median wall time is kept.
Prints one line per file and the geometric mean of the ratios.

xl is run through ../shared/tools/xl-dryrun (root, packages xen-utils-4.17 and
libxen-dev), so its time includes that wrapper's private mount namespace, as it would for
any user of the oracle. Without it, only the two xmc paths are compared."""

import math
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests'))
import xmtest  # noqa: E402

REPEAT = int(os.environ.get('XMC_BENCH_REPEAT', '15'))
XL_DRYRUN = xmtest.XL_DRYRUN


def timed(cmd, cwd):
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=xmtest.REFERENCE_ENV)
        samples.append(time.perf_counter() - start)
        if p.returncode != 0:
            return None
    return statistics.median(samples)


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float('nan')


def main():
    if not os.path.isdir(xmtest.CORPUS):
        print('bench: the shared corpus is missing (%s)' % xmtest.CORPUS)
        return 0
    why_not = xmtest.xl_unavailable()
    if why_not:
        print('bench: xl-dryrun unavailable (%s); comparing xmc paths only' % why_not)
    root = xmtest.make_reference_root()
    rows = []
    try:
        for config, _prefix in xmtest.corpus_configs():
            name = os.path.basename(config)
            target = os.path.join(root, 'etc/xen', name)
            shutil.copyfile(config, target)
            cwd = os.path.join(root, 'etc/xen')
            native = timed([xmtest.XMC, '--root', root, '--frontend', 'native', 'compile', '--emit', 'sxp', name], cwd)
            if native is None:
                continue  # not declarative, or xmc reports an error for it
            python = timed([xmtest.XMC, '--root', root, '--frontend', 'python', 'compile', '--emit', 'sxp', name], cwd)
            xl = timed([XL_DRYRUN, target], cwd) if not why_not else None
            if not why_not and xl is None:
                continue  # xl rejects it: no common ground
            rows.append((name, native, python, xl))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print('%-48s %10s %10s %10s %9s' % ('config (median of %d runs)' % REPEAT, 'xmc ms', 'xmc-py ms', 'xl ms', 'xl/xmc'))
    for name, native, python, xl in rows:
        print('%-48s %10.2f %10.2f %10s %9s' % (name, native * 1e3, python * 1e3,
                                                '%.2f' % (xl * 1e3) if xl else '-',
                                                '%.1fx' % (xl / native) if xl else '-'))
    print('files: %d' % len(rows))
    print('xmc native vs xmc python: python path is %.1fx slower (geometric mean)'
          % geomean([p / n for _, n, p, _ in rows]))
    if not why_not and rows:
        print('xmc native vs xl 4.17 (xl-dryrun): xl takes %.1fx as long as xmc (geometric mean)'
              % geomean([x / n for _, n, _, x in rows]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
