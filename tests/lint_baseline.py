"""Every finding `xmc check` makes on the shared corpus, reviewed (issue 8, item 2).

tests/lint-baseline.txt lists each finding of

    xmc --host=no check xen-examples libvirt/xmconfigdata libvirt/xlconfigdata seed

(run in shared/corpus, one run, so cross-file findings appear as they do for an admin
checking one tree) with a one-line justification: a real problem, or a documented xm
incompatibility, citing xm.md / xl.md / libvirt.md or a run of the real xm 4.4 (xm44: the
captures in shared/corpus/expected, or the run named in the line).

    lint_baseline.py            compare; fails on a finding not in the list, on a listed
                                finding that disappeared, and on an entry without a citation
    lint_baseline.py --write    rewrite the list (justifications by the rules below; review
                                the diff: a finding no rule covers gets 'UNREVIEWED', which
                                the comparison rejects)
"""

import json
import os
import re
import subprocess
import sys

import xmtest

BASELINE = os.path.join(xmtest.SOURCE_DIR, 'tests', 'lint-baseline.txt')
DIRS = ['xen-examples', 'libvirt/xmconfigdata', 'libvirt/xlconfigdata', 'seed']
CITATION = re.compile(r'xm\.md|xl\.md|libvirt\.md|xm44')


def findings():
    p = subprocess.run([xmtest.XMC, '--host=no', 'check', '--format', 'json'] + DIRS, cwd=xmtest.CORPUS,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    return json.loads(p.stdout)


def key(d):
    return '%s:%d:%d: %s [%s] %s%s' % (d['file'], d['line'], d['column'], d['severity'], d['id'],
                                       d['path'] + ': ' if d['path'] and d['path'] not in d['message'] else '',
                                       d['message'])


def xm44(file):
    """(exit status, first 'Error:' line) of the real xm 4.4's `create -n` on a corpus
    file, from the captures (None when the corpus has none for it)."""
    prefix = os.path.join(xmtest.EXPECTED, file)
    if not os.path.exists(prefix + '.xm-n.rc'):
        return None
    rc = int(xmtest.read(prefix + '.xm-n.rc', 'r').strip())
    err = [l for l in xmtest.read(prefix + '.xm-n.err', 'r').splitlines() if l.startswith('Error:')]
    return rc, (err[0] if err else '')


def xm44_says(file):
    run = xm44(file)
    if run is None:
        return ''
    rc, err = run
    where = 'expected/%s.xm-n.err' % file
    return ('the real xm 4.4 failed on this file: "%s" (xm44, %s)' % (err, where) if rc
            else 'the real xm 4.4 accepted the file (xm44, %s exit 0)' % where.replace('.err', '.rc'))


def justify(d):
    """The justification of a finding, by its class; 'UNREVIEWED' when no rule covers it."""
    f, i, m = d['file'], d['id'], d['message']
    xl_file = f.startswith('libvirt/xlconfigdata/') or os.path.basename(f).startswith('xlexample')
    if i == 'skipped-file':
        if '/README' in f:
            return 'documentation, not a config: xm create is only ever given domain configs (xm.md 1.3)'
        if f.endswith('.xml'):
            return ("libvirt's expected domain XML beside each cfg of its test data (libvirt.md section 1), "
                    'not an xm config')
    if i == 'duplicate-name':
        return ('real problem if the files are deployed together: xend refused a second domain of one name '
                "(xm.md 5.1: \"VM name 'X' already exists as domain N\")")
    if i == 'duplicate-uuid':
        return ('real problem if the files are deployed together: xend stores each domain under /vm/<uuid> '
                '(xm.md 6.2); two domains cannot share one')
    if i == 'duplicate-mac':
        return ('real problem if the files are deployed together: two guests on one bridge with one MAC; xend '
                'refused that within a domain (xm.md 5.1: \'The mac "X" is already defined\')')
    if i == 'shared-disk':
        return ("real problem if the files are deployed together: two domains writing one disk; xend allowed "
                "that only with mode 'w!' (xm.md 3.3)")
    if i in ('disk-uname', 'disk-mode', 'disk-fields') and xl_file:
        run = xm44(f)
        return ("an xl disk spec (xl.md section 3), not xm's PHYS,VDEV,MODE; %s" % (
            xm44_says(f) if run and run[0] else
            'xm 4.4 misread it as uname/dev/mode and xend failed on it (xm.md 9, quirk 6); ' + xm44_says(f)))
    if i in ('disk-uname', 'disk-mode') and f.startswith('libvirt/xmconfigdata/'):
        return ("xl's positional disk syntax in libvirt's xm test data: xm 4.4 misread it and xend failed on it "
                '(xm.md 9, quirk 6); ' + xm44_says(f))
    if i == 'unknown-variable' and 'is an xl.cfg key' in m:
        return 'an xl.cfg key (xl.md) that xm ignores; ' + xm44_says(f)
    if i == 'unknown-variable':
        return 'not an xm 4.4 variable (xm.md 2); xm ignored it; ' + xm44_says(f)
    if i == 'wrong-scope':
        return ('a PV-only variable in an HVM config (xm.md 2.3): the guest boots hvmloader, so it does nothing; '
                + xm44_says(f))
    if i == 'wrong-type' and "'tsc_mode'" in m:
        return "xl's tsc_mode names (xl.md); xend converted tsc_mode with int() (xm.md 2.2); " + xm44_says(f)
    if i == 'wrong-type' and xl_file:
        return 'xl accepts a list here (xl.md); xm passed a string to the device model (xm.md 2.5); ' + xm44_says(f)
    if i == 'xm-vars-check':
        return ('the file needs vmid=N on the command line (xm.md 3.10); without it the real xm 4.4 fails the same '
                "way (xm44 run without words: \"Error: vmid - int() argument must be a string or a number, not "
                "'NoneType'\")")
    if i == 'invalid-name':
        return ('xm rejected the whole file (xm44 run: "Error: Errors were found at line 75 while processing '
                './hvm.cfg: full-screen=1")')
    return 'UNREVIEWED'


def read_baseline():
    entries = {}
    current = None
    for line in xmtest.read(BASELINE, 'r').splitlines():
        if not line or line.startswith('#'):
            continue
        if line.startswith('    why: '):
            entries[current] = line[len('    why: '):]
        else:
            current = line
            entries[current] = ''
    return entries


def main():
    xmtest.require_corpus()
    found = findings()
    if '--write' in sys.argv:
        out = ['# Every finding of `xmc --host=no check %s` run in shared/corpus,' % ' '.join(DIRS),
               '# with why it is right (tests/lint_baseline.py; regenerate with --write and review the diff).', '']
        for d in found:
            out += [key(d), '    why: ' + justify(d)]
        xmtest.write_text(BASELINE, '\n'.join(out) + '\n')
        print('lint baseline: %d findings written to %s' % (len(found), BASELINE))
        return 0
    t = xmtest.Tally()
    listed = read_baseline()
    actual = [key(d) for d in found]
    for k in actual:
        t.check(k in listed, 'finding not in the baseline: ' + k)
    for k in listed:
        t.check(k in actual, 'listed finding no longer made: ' + k)
    for k, why in listed.items():
        t.check(why and why != 'UNREVIEWED' and CITATION.search(why), 'no justification with a citation: ' + k)
    print('lint baseline: %d findings, %d listed' % (len(actual), len(listed)))
    return t.finish('lint baseline')


if __name__ == '__main__':
    sys.exit(main())
