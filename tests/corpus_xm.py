"""`xmc create -n` and `xmc create -x` against the real xm 4.4: for every corpus config with
captured `.xm-n.out` / `.xm-x.out`, stdout must be byte-identical and the exit status equal
(stderr, which was xm's deprecation warning plus its error line, is not part of the
target)."""

import os
import shutil
import sys

import xmtest


MODES = [('-n', '.xm-n'), ('-x', '.xm-x')]


def main():
    xmtest.require_corpus()
    root = xmtest.make_reference_root()
    results = []
    try:
        for flag, suffix in MODES:
            results.append((flag, compare_mode(root, flag, suffix)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    ok = True
    for flag, (identical, total) in results:
        print('create %s: %d/%d identical to xm' % (flag, identical, total))
        ok = ok and identical == total and total > 0
    return 0 if ok else 1


def compare_mode(root, flag, suffix):
    total = identical = 0
    if True:
        for config, prefix in xmtest.corpus_configs():
            if not os.path.exists(prefix + suffix + '.out'):
                continue
            total += 1
            rc, out, err = xmtest.run_create_n(root, config, flag=flag)
            want_out = xmtest.read(prefix + suffix + '.out')
            want_rc = int(xmtest.read(prefix + suffix + '.rc', 'r'))
            if rc == want_rc and out == want_out:
                identical += 1
                continue
            print('DIFFERS: create %s %s (rc %d, xm %d)' % (flag, config, rc, want_rc))
            if out != want_out:
                import difflib
                for line in difflib.unified_diff(want_out.decode('utf-8', 'replace').splitlines(),
                                                 out.decode('utf-8', 'replace').splitlines(),
                                                 'xm', 'xmc', lineterm='', n=1):
                    print('    ' + line)
            if err.strip():
                print('    stderr: ' + err.strip().replace('\n', '\n            '))
    return identical, total


if __name__ == '__main__':
    sys.exit(main())
