"""`make mutate`: every check rule is guarded by a unit test. Each `diags->Add<...>` of
compiler/check/check.cc and compiler/tree/cross_file.cc is switched off in turn (its
diagnostic goes to a sink nobody reads), in a copy of the tree built in build-mutate/;
the unit tests must then fail. Prints one line per rule and `mutants: N killed, M survived`;
exits 1 if a rule's removal went unnoticed."""

import os
import re
import shutil
import subprocess
import sys

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ['compiler/check/check.cc', 'compiler/tree/cross_file.cc']
SINK = 'static xmc::Diagnostics* XmcMutantSink() {\n  static xmc::Diagnostics sink;\n  return &sink;\n}\n'


def main():
    work = os.path.join(SRC, 'build-mutate')
    tree = os.path.join(work, 'src')
    if os.path.exists(tree):
        shutil.rmtree(tree)
    files = subprocess.run(['git', 'ls-files'], cwd=SRC, capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(tree, f)), exist_ok=True)
        shutil.copy2(os.path.join(SRC, f), os.path.join(tree, f))
    build = os.path.join(work, 'build')
    subprocess.run(['cmake', '-S', tree, '-B', build, '-DCMAKE_BUILD_TYPE=RelWithDebInfo'], check=True,
                   stdout=subprocess.DEVNULL)
    jobs = str(os.cpu_count() or 2)

    def unit_tests_pass():
        b = subprocess.run(['cmake', '--build', build, '--target', 'xmc_unit_tests', '-j', jobs],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if b.returncode != 0:
            raise SystemExit('the mutant does not build:\n' + b.stderr[-2000:])
        r = subprocess.run([os.path.join(build, 'xmc_unit_tests')], capture_output=True,
                           env=dict(os.environ, XMC_SOURCE_DIR=tree))
        return r.returncode == 0

    if not unit_tests_pass():
        raise SystemExit('the unit tests fail before any mutation')
    killed, survived = 0, []
    for rel in FILES:
        path = os.path.join(tree, rel)
        original = open(path).read()
        sites = [m.start() for m in re.finditer(r'diags->Add<DiagId::k\w+>', original)]
        for pos in sites:
            rule = re.match(r'diags->Add<DiagId::k(\w+)>', original[pos:]).group(1)
            line = original.count('\n', 0, pos) + 1
            mutant = original[:pos] + 'XmcMutantSink()->' + original[pos + len('diags->'):]
            first_ns = mutant.index('namespace xmc {')
            mutant = mutant[:first_ns] + SINK + mutant[first_ns:]
            with open(path, 'w') as f:
                f.write(mutant)
            try:
                passed = unit_tests_pass()
            finally:
                with open(path, 'w') as f:
                    f.write(original)
            where = '%s:%d %s' % (rel, line, rule)
            if passed:
                survived.append(where)
                print('SURVIVED %s: no unit test notices when it is switched off' % where)
            else:
                killed += 1
                print('killed   %s' % where)
    print('mutants: %d killed, %d survived' % (killed, len(survived)))
    return 1 if survived else 0


if __name__ == '__main__':
    sys.exit(main())
