"""Both front ends give the same Value tree with the same spans on every declarative file
of the shared corpus, of tests/golden and of tests/bad. Files the native parser does not
accept are counted and left to the Python front end alone."""

import glob
import json
import os
import subprocess
import sys

import xmtest


def values(path, frontend):
    p = subprocess.run([xmtest.XMC, '--frontend', frontend, 'compile', '--emit', 'values', path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if p.returncode != 0:
        return None, p.stderr.decode('utf-8', 'replace')
    doc = json.loads(p.stdout)
    del doc['frontend']
    return doc, ''


def main():
    files = []
    if os.path.isdir(xmtest.CORPUS):
        for pattern in ('xen-examples/*', 'libvirt/*/*.cfg', 'libvirt/newer/*/*.cfg', 'seed/hvm.cfg'):
            files += sorted(glob.glob(os.path.join(xmtest.CORPUS, pattern)))
        files = [f for f in files if not f.endswith('README.txt')]
    else:
        print('note: shared corpus not found at %s; checking tests/golden only' % xmtest.CORPUS)
    files += sorted(glob.glob(os.path.join(xmtest.SOURCE_DIR, 'tests/golden/**/*.cfg'), recursive=True))
    files += sorted(glob.glob(os.path.join(xmtest.SOURCE_DIR, 'tests/bad/*.cfg')))
    files += sorted(glob.glob(os.path.join(xmtest.SOURCE_DIR, 'examples/*/*.cfg')))
    declarative = same = 0
    failures = []
    for f in files:
        native, _ = values(f, 'native')
        if native is None:
            continue  # not declarative
        declarative += 1
        python, err = values(f, 'python')
        if python == native:
            same += 1
        else:
            failures.append((f, native, python, err))
    for f, native, python, err in failures:
        print('DIFFER: %s' % f)
        if python is None:
            print('  python front end failed: ' + err.strip())
            continue
        for a, b in zip(native['bindings'], python['bindings']):
            if a != b:
                print('  native: %s\n  python: %s' % (json.dumps(a), json.dumps(b)))
                break
        if len(native['bindings']) != len(python['bindings']):
            print('  %d vs %d bindings' % (len(native['bindings']), len(python['bindings'])))
    print('frontends: %d/%d declarative files give identical values and spans (%d files in all)'
          % (same, declarative, len(files)))
    return 0 if same == declarative and declarative > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
