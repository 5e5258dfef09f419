"""How long xmc took to contain each config of the hostile corpus (tests/hostile/): runs
tests/hostile_test.py (which asserts containment) with --times and prints each run's
seconds, the slowest first. With the default limits of that test (--eval-timeout 1), a
config that never ends takes that second plus the worker's grace."""

import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))


def main():
    with tempfile.NamedTemporaryFile('r', suffix='.tsv') as f:
        p = subprocess.run([sys.executable, os.path.join(here, '..', 'tests', 'hostile_test.py'), '--times', f.name],
                           stdout=subprocess.PIPE, text=True)
        summary = [l for l in p.stdout.splitlines() if l.startswith('hostile:')]
        rows = [l.rstrip('\n').split('\t') for l in f if '\t' in l]
    rows.sort(key=lambda r: -float(r[1]))
    print('hostile corpus: %s' % '; '.join(summary))
    print('%-44s %8s' % ('run', 'seconds'))
    for label, seconds in rows:
        print('%-44s %8.2f' % (label, float(seconds)))
    return p.returncode


if __name__ == '__main__':
    sys.exit(main())
