"""Every doctest case runs under ctest exactly once (issue 19): the unit entries ctest knows
are the cases doctest lists, one each; each entry's filter, handed back to doctest, selects
exactly its own case; each entry fails when its run ran other than one case; and a case
name that could not select exactly itself fails the build, with the reason.

Usage: unit_discovery_test.py UNIT_TEST_BINARY BUILD_DIR"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

import xmtest

T = xmtest.Tally()
check = T.check
PREFIX = 'unit: '
DISCOVER = os.path.join(xmtest.SOURCE_DIR, 'tools', 'discover_unit_tests.py')


def doctest_list(command):
    """The case names doctest lists for a command line (its filters honoured)."""
    out = subprocess.run(command + ['--list-test-cases'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=60).stdout.decode()
    return [l for l in out.splitlines() if l and not l.startswith('[doctest]') and not l.startswith('=====')]


def test_entries(binary, build, tmp):
    cases = doctest_list([binary])
    check(len(cases) >= 100, 'doctest lists the unit cases (%d)' % len(cases))
    # Asked from a directory of this test's own that takes in the build tree's tests: a
    # ctest run in the build tree itself replaces its Testing/Temporary/LastTest.log, which
    # the ctest running this test is writing (scripts/run-tests.sh reads it afterwards).
    with open(os.path.join(tmp, 'CTestTestfile.cmake'), 'w') as f:
        f.write('subdirs("%s")\n' % build)
    shown = subprocess.run(['ctest', '--show-only=json-v1'], cwd=tmp, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
    tests = json.loads(shown.stdout)['tests']
    entries = [t for t in tests if t['name'].startswith(PREFIX) or 'NOT_BUILT' in t['name']]
    names = [t['name'][len(PREFIX):] for t in entries]
    check(sorted(names) == sorted(cases) and len(set(names)) == len(names),
          'ctest has one entry per case: missing %s, extra %s' %
          (sorted(set(cases) - set(names))[:5], sorted(set(names) - set(cases))[:5]))
    wrong = []
    unguarded = []
    for t in entries:
        name = t['name'][len(PREFIX):]
        selected = doctest_list(t['command']) if t.get('command') else []
        if selected != [name]:
            wrong.append((name, selected[:3]))
        props = {p['name']: p['value'] for p in t.get('properties', [])}
        if 'test cases:' not in props.get('FAIL_REGULAR_EXPRESSION', [''])[0]:
            unguarded.append(name)
    check(not wrong, 'each entry\'s command selects exactly its own case: %s' % wrong[:5])
    check(not unguarded, 'each entry fails unless its run ran exactly one case: %s' % unguarded[:5])


def test_guard(binary, tmp, cases):
    """The one-case guard as ctest applies it: entries that run no case or two fail, though
    the binary exits 0 for each."""
    sys.path.insert(0, os.path.dirname(DISCOVER))
    from discover_unit_tests import NOT_ONE_CASE, bracket, filter_of
    lines = []
    for name, test_filter in (('none', 'no case has this name'), ('two', filter_of(cases[0]) + ',' + filter_of(cases[1])),
                              ('one', filter_of(cases[0]))):
        lines.append('add_test(%s %s %s)' % (name, bracket(binary), bracket('--test-case=' + test_filter)))
        lines.append('set_tests_properties(%s PROPERTIES FAIL_REGULAR_EXPRESSION %s)' % (name, bracket(NOT_ONE_CASE)))
    with open(os.path.join(tmp, 'CTestTestfile.cmake'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    p = subprocess.run(['ctest', '--output-on-failure'], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=120)
    out = p.stdout.decode()
    failed = sorted(l.split(' - ')[1].split()[0] for l in out.split('The following tests FAILED:')[-1].splitlines()
                    if ' - ' in l)
    check(failed == ['none', 'two'] and '1 tests passed' not in out and '33% tests passed' in out,
          'ctest fails an entry that ran no case or two, passes one that ran one: %s\n%s' % (failed, out[-800:]))


def fake_binary(tmp, names):
    """A stand-in for the unit test binary that lists `names` as doctest does."""
    path = os.path.join(tmp, 'fake_unit_tests')
    listing = ['[doctest] doctest version is "2.4.9"', '[doctest] run with "--help" for options',
               '=' * 79, '[doctest] listing all test case names', '=' * 79] + names + ['=' * 79]
    with open(path, 'w') as f:
        f.write('#!%s\nimport sys\nsys.stdout.write(%r)\n' % (sys.executable, '\n'.join(listing) + '\n'))
    os.chmod(path, stat.S_IRWXU)
    return path


def test_build_refuses(tmp):
    # Each of these could not be a filter of its own case (the case with two cases in one
    # name was the one of strings_test.cc at a4f1029).
    refused = {
        "MAC addresses are six hex pairs; the first octet's low bit is multicast": "';'",
        'each on_* action for each way a domain stops': "'*'",
        'is it? maybe': "'?'",
        'cpuid entries start with LEAF[,SUBLEAF]': "'['",
        'Two cases differ in case only': 'only in case',
        'MAC addresses are six hex pairs': 'part of',
    }
    names = list(refused) + ['two cases differ in case only', 'a good name, with a comma']
    ctest_file = os.path.join(tmp, 'bad.ctest')
    p = subprocess.run([sys.executable, DISCOVER, fake_binary(tmp, names), ctest_file, PREFIX],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    err = p.stderr.decode()
    check(p.returncode == 1 and not os.path.exists(ctest_file), 'names that are not filters fail the build, '
          'and no test list is written (rc %d)' % p.returncode)
    for name, why in refused.items():
        check(any(repr(name) in l and why in l for l in err.splitlines()), 'refused and why: %r (%s)' % (name, why))
    check("'a good name, with a comma'" not in err, 'a comma is not refused (escaped in the filter): ' + err)

    good = ['a good name, with a comma', 'another name']
    p = subprocess.run([sys.executable, DISCOVER, fake_binary(tmp, good), ctest_file, PREFIX, 'A=1', 'B=2'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    text = open(ctest_file).read() if os.path.exists(ctest_file) else ''
    check(p.returncode == 0 and '[=[--test-case=a good name\\, with a comma]=]' in text and
          '[=[unit: another name]=]' in text and 'ENVIRONMENT [=[A=1;B=2]=]' in text,
          'good names become entries, the comma escaped for doctest: rc %d %s\n%s' % (p.returncode, p.stderr, text))


def main():
    binary, build = (os.path.abspath(a) for a in sys.argv[1:3])
    if not os.path.exists(binary):
        print('SKIP: no unit test binary at %s' % binary)
        return xmtest.SKIP
    tmp = tempfile.mkdtemp(prefix='xmc-unit-discovery-')
    try:
        os.mkdir(os.path.join(tmp, 'listing'))
        test_entries(binary, build, os.path.join(tmp, 'listing'))
        test_guard(binary, tmp, doctest_list([binary]))
        test_build_refuses(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return T.finish('unit discovery')


if __name__ == '__main__':
    sys.exit(main())
