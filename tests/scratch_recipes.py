#!/usr/bin/env python3
"""The README's recipes, followed literally in a scratch copy of the sources, and the
schema as the only place a default is written (issue 21). One scratch build serves three
changes a maintainer makes:

1. Defaults changed in schema/xm-vars.yaml only (DEFAULTS below). Every back end must
   follow: for a PV and an HVM config that do not set those variables, the scratch xmc
   writes, for every back end, what the built xmc writes when the config sets them to the
   new defaults. A writer that assumed xm's default (left out what "was the default", or
   wrote the old value) shows as a difference.
2. "Adding a variable" (schema/README.md): the YAML entry and one line of the IR. The new
   variable is then a known name (no finding), explained, placed in the SXP, reported by
   the xl translation as dropped, in the model, and its golden (.json) files follow.
3. "Adding a back end" (README.md): one file, its header, one line of the CMake sources,
   one table row, one schema column, the goldens written by XMC_UPDATE_GOLDEN=1.

Not part of `make test` (a rebuild takes minutes): `make scratch-test`, a stage of .ci/run.
Usage: scratch_recipes.py [BUILT_XMC] (default build/xmc). With XMC_SCRATCH_DIR=DIR the
scratch copy is made and built there and kept; when DIR already holds one, it is used as it
is (for working on these checks)."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import xmtest

# variable: (YAML default before, after). Each is set explicitly in the comparison config
# written with the built xmc; types follow the schema (bools as 0/1, strings quoted).
DEFAULTS = {
    'memory': ('128', '384'),
    'vcpus': ('1', '2'),
    'interface': ('eth0', 'eth1'),
    'dhcp': ('"off"', 'dhcp'),
    'on_xend_start': ('ignore', 'start'),
    'localtime': ('0', '1'),
    'acpi': ('1', '0'),
    'boot': ('c', 'd'),
    'vncunused': ('1', '0'),
    'timer_mode': ('1', '0'),
    'xen_platform_pci': ('1', '0'),
    'guest_os_type': ('default', 'linux'),
}
# Each new value differs from the targets' own defaults too (acpi 0, not hpet 1: a flag at
# xl's default is rightly left out of the xl.cfg, whoever chose it).
# Not here: videoram. xmc leaves the video memory to the target's own default unless the
# config sets it (xl's least for cirrus is 8 MiB, above xm's default of 4; libvirt's model
# has its own), so a changed xm default rightly changes nothing there.
BOOL = {'localtime', 'vncunused'}
STRING = {'interface', 'dhcp', 'on_xend_start', 'boot', 'guest_os_type'}

PV = "name = 'pv1'\nkernel = '/boot/vmlinuz-golden'\nip = '10.0.0.2'\nvif = ['bridge=xenbr0']\n"
HVM = ("name = 'hvm1'\nbuilder = 'hvm'\nkernel = '/usr/lib/xen/boot/hvmloader'\nvnc = 1\n"
       "disk = ['phy:/dev/vg/h,hda,w']\nvif = ['type=ioemu, bridge=xenbr0']\n")

NEW_VAR = 'recipe_marker'
NEW_VAR_YAML = ('  - {name: %s, type: int, conv: int, default: null, scope: all, sxp: {at: top, order: 90, when: set},\n'
                '     xenstore: {ignore: "a test variable"}, xl: {drop: "has no xl equivalent", order: 90},\n'
                '     range: [0, 99], doc: "A variable added by tests/scratch_recipes.py."}\n' % NEW_VAR)

SCHEMA_CASES = ['every IR field has a schema entry of the same type and vice versa',
                'schema entries are complete and consistent',
                'the compiled-in schema table equals a fresh yaml-cpp parse of the YAML',
                'every variable has a declared treatment in every back end']

BACKEND_NAME, BACKEND_SUFFIX = 'recipe', '.recipe'
BACKEND_H = '''// A back end added by tests/scratch_recipes.py, as the README's recipe says.
#pragma once

#include <ostream>

#include "compiler/emit/backend.h"
#include "compiler/ir/domain_config.h"

namespace xmc {

void EmitRecipe(const DomainConfig& config, const EmitOptions& options, std::ostream& out, Diagnostics* diags);

}  // namespace xmc
'''
BACKEND_CC = '''#include "compiler/emit/recipe.h"

namespace xmc {

void EmitRecipe(const DomainConfig& config, const EmitOptions&, std::ostream& out, Diagnostics*) {
  out << "name " << XmStr(config.name) << "\\nmemory " << XmStr(config.memory, "-") << "\\n";
}

}  // namespace xmc
'''


def log(text):
    print('scratch: ' + text, flush=True)


def edit(path, old, new):
    with open(path) as f:
        text = f.read()
    if old not in text:
        raise SystemExit('scratch: %s has no %r: the recipe no longer matches the sources' % (path, old))
    with open(path, 'w') as f:
        f.write(text.replace(old, new, 1))


def scratch_copy(dest):
    """The sources as they are now (tracked files, with uncommitted changes)."""
    files = subprocess.run(['git', 'ls-files', '-z'], cwd=xmtest.SOURCE_DIR, stdout=subprocess.PIPE,
                           check=True).stdout.decode().split('\0')
    for f in files:
        if not f:
            continue
        src = os.path.join(xmtest.SOURCE_DIR, f)
        if not os.path.lexists(src):
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, f)), exist_ok=True)
        if os.path.islink(src):
            os.symlink(os.readlink(src), os.path.join(dest, f))
        else:
            shutil.copy2(src, os.path.join(dest, f))


def change_defaults(src):
    yaml = os.path.join(src, 'schema', 'xm-vars.yaml')
    for name, (old, new) in DEFAULTS.items():
        with open(yaml) as f:
            text = f.read()
        pattern = re.compile(r'(- \{name: %s, [^\n]*?default: )%s,' % (re.escape(name), re.escape(old)))
        text, n = pattern.subn(lambda m: m.group(1) + new + ',', text)
        if n != 1:
            raise SystemExit('scratch: the default of %s is not %s in the YAML' % (name, old))
        with open(yaml, 'w') as f:
            f.write(text)


def add_variable(src):
    # The YAML entry, at the end of the variables.
    edit(os.path.join(src, 'schema', 'xm-vars.yaml'), '  # --- Security ---', NEW_VAR_YAML + '  # --- Security ---')
    # One line of the IR.
    edit(os.path.join(src, 'compiler', 'ir', 'domain_config.h'),
         'X(access_control, std::vector<AccessControl>)',
         'X(access_control, std::vector<AccessControl>) \\\n  X(%s, int64_t)' % NEW_VAR)


def add_backend(src):
    emit = os.path.join(src, 'compiler', 'emit')
    with open(os.path.join(emit, 'recipe.h'), 'w') as f:
        f.write(BACKEND_H)
    with open(os.path.join(emit, 'recipe.cc'), 'w') as f:
        f.write(BACKEND_CC)
    edit(os.path.join(src, 'CMakeLists.txt'), '  compiler/emit/json.cc\n', '  compiler/emit/json.cc\n  compiler/emit/recipe.cc\n')
    backend_cc = os.path.join(emit, 'backend.cc')
    edit(backend_cc, '#include "compiler/emit/json.h"\n', '#include "compiler/emit/json.h"\n#include "compiler/emit/recipe.h"\n')
    with open(backend_cc) as f:
        text = f.read()
    rows = re.search(r'kBackends\[\] = \{\n(.*?)\n\};', text, re.S)
    if rows is None:
        raise SystemExit('scratch: no kBackends table in backend.cc')
    row = '    {"%s", "the name and memory (a test back end)", "%s", "tests/scratch_recipes.py", EmitRecipe},' % (
        BACKEND_NAME, BACKEND_SUFFIX)
    text = text[:rows.end(1)] + '\n' + row + text[rows.end(1):]
    with open(backend_cc, 'w') as f:
        f.write(text)
    # Its row in the README's table.
    edit(os.path.join(src, 'README.md'), '| `json` | the typed model',
         '| `%s` | the name and memory (a test back end) | tests/scratch_recipes.py |\n| `json` | the typed model' %
         BACKEND_NAME)
    # The schema column: what the back end does with a variable it does not write.
    edit(os.path.join(src, 'schema', 'xm-vars.yaml'), '  json: generic\n',
         '  json: generic\n  %s: {ignore: "the test back end writes the name and memory only"}\n' % BACKEND_NAME)


def build(src, build_dir):
    start = time.time()
    subprocess.run(['cmake', '-S', src, '-B', build_dir, '-DCMAKE_BUILD_TYPE=RelWithDebInfo'], check=True,
                   stdout=subprocess.DEVNULL)
    jobs = str(os.cpu_count() or 2)
    p = subprocess.run(['cmake', '--build', build_dir, '--target', 'xmc', 'xmc_unit_tests', '-j', jobs],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        print(p.stdout[-4000:])
        raise SystemExit('scratch: the scratch copy does not build after the recipes')
    log('built in %d s' % (time.time() - start))


def emit_all(xmc, root, cfg, names):
    out = {}
    for b in names:
        extra = ['--domid', '5', '--uuid', '00000000-0000-4000-8000-0000000000aa'] if b == 'xenstore' else []
        p = subprocess.run([xmc, '--root', root, 'compile', cfg, '--emit', b] + extra, capture_output=True,
                           cwd=os.path.join(root, 'etc', 'xen'), env=xmtest.REFERENCE_ENV, timeout=60)
        out[b] = (p.returncode, p.stdout)
    return out


def backends(xmc):
    p = subprocess.run([xmc, 'backends'], capture_output=True, text=True, check=True)
    return [line.split('\t')[0] for line in p.stdout.splitlines() if line.strip()]


def explicit(name, value):
    if name in STRING:
        return "%s = '%s'\n" % (name, value.strip('"'))
    return '%s = %s\n' % (name, value)


def config(root, name, text):
    """A config at /etc/xen/NAME below `root` (the golden root's copy): its path for xmc."""
    xmtest.write_text(os.path.join(root, 'etc', 'xen', name), text)
    return '/etc/xen/' + name


def check_defaults(tally, built, scratch, work):
    names = [b for b in backends(built) if b != 'json']  # json: the model, with each value's origin
    for label, base in (('PV', PV), ('HVM', HVM)):
        plain = config(work, label.lower() + '.cfg', base)
        spelled = config(work, label.lower() + '-spelled.cfg',
                         base + ''.join(explicit(n, new) for n, (_, new) in DEFAULTS.items()))
        got, want = emit_all(scratch, work, plain, names), emit_all(built, work, spelled, names)
        for b in names:
            tally.check(got[b][0] == 0 and want[b][0] == 0, '%s --emit %s runs (%s, %s)' % (label, b, got[b][0],
                                                                                           want[b][0]))
            same = got[b][1] == want[b][1]
            if not same:
                import difflib
                diff = difflib.unified_diff(want[b][1].decode(errors='replace').splitlines(),
                                            got[b][1].decode(errors='replace').splitlines(),
                                            'set explicitly (built xmc)', 'the new defaults (scratch xmc)',
                                            lineterm='', n=0)
                print('\n'.join('  ' + line for line in list(diff)[:20]))
            tally.check(same, '%s --emit %s follows the changed defaults' % (label, b))


def check_variable(tally, scratch, work):
    cfg = config(work, 'newvar.cfg', PV + '%s = 7\n' % NEW_VAR)
    run = lambda *args: subprocess.run([scratch, '--root', work] + list(args), capture_output=True, text=True,
                                       cwd=os.path.join(work, 'etc', 'xen'), env=xmtest.REFERENCE_ENV, timeout=60)
    p = run('check', cfg)
    tally.check(p.returncode == 0 and NEW_VAR not in p.stdout + p.stderr,
                'check knows the new variable (no finding): %s' % (p.stdout + p.stderr)[-300:])
    p = run('explain', NEW_VAR)
    tally.check(p.returncode == 0 and 'A variable added by tests/scratch_recipes.py.' in p.stdout,
                'explain shows its documentation')
    p = run('create', '-n', cfg)
    tally.check(p.returncode == 0 and '(%s 7)' % NEW_VAR in p.stdout, 'the SXP holds it: %s' % p.stdout[-200:])
    p = run('compile', cfg, '--emit', 'xl')
    tally.check('%s: has no xl equivalent' % NEW_VAR in p.stdout + p.stderr, 'the xl translation reports it dropped')
    p = run('compile', cfg, '--emit', 'json')
    tally.check('"%s": 7' % NEW_VAR in p.stdout, 'the model holds it')
    cfg = config(work, 'newvar.cfg', PV + '%s = 200\n' % NEW_VAR)
    p = run('check', cfg)
    tally.check(p.returncode != 0 and NEW_VAR in p.stdout + p.stderr, 'its range is checked: %s' % p.stdout[-300:])


def check_backend(tally, scratch, src):
    tally.check(BACKEND_NAME in backends(scratch), 'xmc backends lists the new back end')
    env = dict(os.environ, XMC=scratch, XMC_SOURCE_DIR=src, XMC_UPDATE_GOLDEN='1')
    runner = os.path.join(src, 'tests', 'golden_runner.py')
    p = subprocess.run([sys.executable, runner], env=env, capture_output=True, text=True)
    written = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(src, 'tests', 'golden'))
               for f in fs if f.endswith(BACKEND_SUFFIX)]
    cases = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(src, 'tests', 'golden'))
             for f in fs if f.endswith('.cfg') and '/root/' not in os.path.join(d, f)]
    tally.check(len(written) > 10, 'XMC_UPDATE_GOLDEN=1 wrote its golden files (%d for %d cases)' %
                (len(written), len(cases)))
    env.pop('XMC_UPDATE_GOLDEN')
    p = subprocess.run([sys.executable, runner], env=env, capture_output=True, text=True)
    tally.check(p.returncode == 0, 'the golden cases pass with them (and the new variable\'s .json): %s' %
                (p.stdout + p.stderr)[-500:])
    sample = sorted(written)[0]
    with open(sample) as f:
        tally.check(f.read().startswith('name '), '%s is the back end\'s output' % os.path.relpath(sample, src))


def main():
    built = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else xmtest.XMC)
    if not os.path.exists(built):
        print('SKIP scratch recipes: %s is not built' % built)
        return xmtest.SKIP
    tally = xmtest.Tally()
    kept = os.environ.get('XMC_SCRATCH_DIR')
    scratch_dir = os.path.abspath(kept) if kept else tempfile.mkdtemp(prefix='xmc-scratch-')
    try:
        src, build_dir, work = (os.path.join(scratch_dir, d) for d in ('src', 'build', 'root'))
        if not os.path.exists(os.path.join(build_dir, 'xmc')):
            os.makedirs(scratch_dir, exist_ok=True)
            scratch_copy(src)
            shared = os.path.join(xmtest.SOURCE_DIR, '..', 'shared')
            if os.path.isdir(shared):
                os.symlink(os.path.abspath(shared), os.path.join(scratch_dir, 'shared'))
            change_defaults(src)
            add_variable(src)
            add_backend(src)
            build(src, build_dir)
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(xmtest.GOLDEN_ROOT, work, symlinks=True)
        os.makedirs(os.path.join(work, 'etc', 'xen'), exist_ok=True)
        scratch = os.path.join(build_dir, 'xmc')
        # The schema's own unit tests: the IR and the schema agree, every entry is complete,
        # every variable has a treatment in every back end (the new one included).
        cases = ','.join(SCHEMA_CASES)
        p = subprocess.run([os.path.join(build_dir, 'xmc_unit_tests'), '--test-case=' + cases], capture_output=True,
                           text=True)
        ran = re.search(r'test cases: +(\d+) \| +(\d+) passed', p.stdout)
        tally.check(p.returncode == 0 and ran is not None and ran.group(1) == ran.group(2) == str(len(SCHEMA_CASES)),
                    'the schema unit tests pass in the scratch copy: %s' % p.stdout[-600:])
        check_defaults(tally, built, scratch, work)
        check_variable(tally, scratch, work)
        check_backend(tally, scratch, src)
    finally:
        if not kept:
            shutil.rmtree(scratch_dir, ignore_errors=True)
    return tally.finish('scratch recipes')


if __name__ == '__main__':
    sys.exit(main())
