"""`xmc create -n` against the real xm 4.4: for every corpus config with a captured
`.xm-n.out`, stdout must be byte-identical and the exit status equal (stderr, which was
xm's deprecation warning plus its error line, is not part of the target)."""

import shutil
import sys

import xmtest


def main():
    xmtest.require_corpus()
    root = xmtest.make_reference_root()
    total = identical = 0
    try:
        for config, prefix in xmtest.corpus_configs():
            total += 1
            rc, out, err = xmtest.run_create_n(root, config)
            want_out = xmtest.read(prefix + '.xm-n.out')
            want_rc = int(xmtest.read(prefix + '.xm-n.rc', 'r'))
            if rc == want_rc and out == want_out:
                identical += 1
                continue
            print('DIFFERS: %s (rc %d, xm %d)' % (config, rc, want_rc))
            if out != want_out:
                import difflib
                for line in difflib.unified_diff(want_out.decode('utf-8', 'replace').splitlines(),
                                                 out.decode('utf-8', 'replace').splitlines(),
                                                 'xm', 'xmc', lineterm='', n=1):
                    print('    ' + line)
            if err.strip():
                print('    stderr: ' + err.strip().replace('\n', '\n            '))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print('create -n: %d/%d identical to xm' % (identical, total))
    return 0 if identical == total and total > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
