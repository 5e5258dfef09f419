"""The Python module `xmc` (unittest; run by ctest as python_module with PYTHONPATH set to
the build tree's package).

The golden and bad-input cases are run through the module and must give what the CLI's
expectations say, byte for byte: every back end's text (tests/golden/<area>/<case><suffix>),
its refusal (<case><suffix>.err), the diagnostics as the CLI renders them (<case>.err), and
`xmc check --werror`'s findings for tests/bad (NAME.out). Then the API itself: arguments,
misuse, configs that are broken or hostile, and that a config's code never runs in the
caller's interpreter.
"""

import builtins
import glob
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests'))
os.environ.setdefault('XMC', '')  # xmtest wants it; the module needs no binary

import xmtest  # noqa: E402
from golden_runner import BACKEND_OPTIONS, pinned_model  # noqa: E402

try:
    import xmc
except ImportError as e:  # a build without -DXMC_BUILD_PYTHON=ON
    print('python_module: skipped: the module xmc is not built (%s)' % e)
    sys.exit(77)

GOLDEN = xmtest.GOLDEN
ROOT = xmtest.GOLDEN_ROOT
BAD = os.path.join(xmtest.SOURCE_DIR, 'tests', 'bad')


def reference_environment():
    """The golden cases' environment (HOME=/root, no display), in this process: the module's
    host answers the config's questions from it."""
    for name in ('DISPLAY', 'XAUTHORITY'):
        os.environ.pop(name, None)
    os.environ['HOME'] = '/root'


def case_arguments(cfg):
    """compile()/check() keyword arguments and NAME=VALUE words of a case's `# ARGS:` line."""
    args = xmtest.golden_case_args(cfg)
    kwargs, words, i = {}, [], 0
    while i < len(args):
        a = args[i]
        if a == '--pedantic':
            kwargs['pedantic'] = True
        elif a.startswith('--frontend'):
            kwargs['frontend'] = a.split('=', 1)[1] if '=' in a else args[i + 1]
            i += '=' not in a
        elif a == '--eval-timeout':
            kwargs['eval_timeout'] = float(args[i + 1])
            i += 1
        elif a == '--host-cpus':
            kwargs['host_cpus'] = int(args[i + 1])
            i += 1
        elif a.startswith('--'):
            raise AssertionError('%s: option %s has no keyword in this test' % (cfg, a))
        else:
            words.append(a)
        i += 1
    return kwargs, words


def read(path):
    with open(path, 'rb') as f:
        return f.read().decode('utf-8')


def rendered(diagnostics):
    return ''.join(str(d) + '\n' for d in diagnostics)


class InDirectory:
    def __init__(self, path):
        self.path, self.old = path, None

    def __enter__(self):
        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        os.chdir(self.old)


class GoldenCases(unittest.TestCase):
    """Every golden case through compile() and every back end."""

    def test_golden_cases(self):
        reference_environment()
        scope_of = {v['name']: v['scope'] for v in xmc.schema()['variables']}
        cases = [c for c in sorted(glob.glob(os.path.join(GOLDEN, '*', '*.cfg')))
                 if not c.endswith('.xl.cfg') and not c.startswith(ROOT + os.sep)]
        self.assertGreater(len(cases), 20)
        for cfg in cases:
            stem = cfg[:-len('.cfg')]
            with self.subTest(case=os.path.relpath(cfg, GOLDEN)), InDirectory(os.path.dirname(cfg)):
                kwargs, words = case_arguments(cfg)
                r = xmc.compile(os.path.basename(cfg), vars=words, root=ROOT, **kwargs)
                self.assertTrue(r.ok, r.render())
                last_diags = []
                for b in xmc.backends():
                    options = BACKEND_OPTIONS.get(b.name, [])
                    extra = {}
                    if options:
                        extra = {'domid': int(options[options.index('--domid') + 1]),
                                 'uuid': options[options.index('--uuid') + 1]}
                    text, diags = r.emit_with_diagnostics(b.name, **extra)
                    if os.path.exists(stem + b.suffix + '.err'):
                        self.assertIsNone(text, b.name)
                        self.assertEqual(r.render() + rendered(diags), read(stem + b.suffix + '.err'), b.name)
                        continue
                    self.assertIsNotNone(text, '%s: %s' % (b.name, rendered(diags)))
                    if b.name == 'json':
                        self.assertEqual(json.loads(pinned_model(text.encode(), scope_of)),
                                         json.loads(read(stem + b.suffix)))
                        self.assertEqual(r.model, json.loads(text))
                    else:
                        self.assertEqual(text, read(stem + b.suffix), b.name)
                    last_diags = diags
                err = read(stem + '.err') if os.path.exists(stem + '.err') else ''
                self.assertEqual(r.render() + rendered(last_diags), err)

    def test_bad_inputs(self):
        """tests/bad: check() finds what `xmc check --werror` printed; compile() the same
        where the case has NAME=VALUE words. Never an exception."""
        reference_environment()
        cases = sorted(glob.glob(os.path.join(BAD, '*.cfg')))
        self.assertGreater(len(cases), 50)
        with InDirectory(BAD):
            for cfg in cases:
                name = os.path.basename(cfg)
                with self.subTest(case=name):
                    kwargs, words = case_arguments(cfg)
                    expected = read(cfg[:-len('.cfg')] + '.out')
                    if words:
                        kwargs.pop('host_cpus', None)
                        r = xmc.compile(name, vars=words, root=ROOT, **kwargs)
                        self.assertFalse(r.ok)
                        self.assertEqual(r.render(), expected)
                    else:
                        found = xmc.check([name], root=ROOT, **kwargs)
                        self.assertTrue(any(d.severity in ('error', 'warning') for d in found))
                        self.assertEqual(rendered(found), expected)


class Api(unittest.TestCase):
    def setUp(self):
        reference_environment()

    def test_result_and_diagnostic_fields(self):
        r = xmc.compile(text="memroy = 512\nname = 'a'\nkernel = '/k'\n", filename='web.cfg', host='no')
        self.assertTrue(r.ok)
        self.assertEqual(r.file, 'web.cfg')
        (d,) = r.diagnostics
        self.assertEqual((d.file, d.line, d.column, d.end_column), ('web.cfg', 1, 1, 7))
        self.assertEqual((d.severity, d.id, d.path), ('warning', 'unknown-variable', 'memroy'))
        self.assertIn("did you mean 'memory'", d.message + ' '.join(d.notes))
        self.assertEqual(d.source_line, 'memroy = 512')
        self.assertTrue(str(d).startswith('web.cfg:1:1: warning: '), str(d))
        self.assertIn('unknown-variable', repr(d))
        self.assertEqual(r.model['config']['name'], 'a')
        self.assertEqual(r.model['guest_type'], 'pv')

    def test_every_backend_emits(self):
        r = xmc.compile(text="name = 'a'\nkernel = '/k'\nmemory = 256\n", filename='a.cfg', host='no')
        names = [b.name for b in xmc.backends()]
        self.assertEqual(names[:2], ['sxp', 'xml'])
        for b in xmc.backends():
            self.assertTrue(b.help and b.suffix and b.checked_against, b)
            text = r.emit(b.name)
            self.assertIsInstance(text, str, b.name)
            self.assertTrue(text, b.name)
        self.assertIn('(memory 256)', r.emit('sxp'))
        self.assertIn('memory = 256', r.emit('xl'))
        xs1 = r.emit('xenstore', domid=7, uuid='00000000-0000-4000-8000-0000000000aa')
        self.assertIn('/local/domain/7', xs1)
        self.assertIn('00000000-0000-4000-8000-0000000000aa', xs1)
        # 'values', as `xmc compile --emit values` writes it (one session for both).
        values = json.loads(r.emit('values'))
        self.assertEqual([b['name'] for b in values['bindings']], ['name', 'kernel', 'memory'])
        self.assertEqual(values['bindings'][2]['value']['value'], 256)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'a.cfg')
            with open(path, 'w') as f:
                f.write("name = 'a'\nkernel = '/k'\nmemory = 256\n")
            cli = subprocess.run([xmtest.XMC, '--host', 'no', 'compile', '--emit', 'values', path],
                                 capture_output=True, text=True, check=True)
            self.assertEqual(xmc.compile(path, host='no').emit('values'), cli.stdout)

    def test_path_forms_and_vars(self):
        # Relative to the current directory: with root=, an absolute path is below the root.
        os.chdir(xmtest.SOURCE_DIR)
        pv = os.path.join('examples', 'pv', 'pv.cfg')
        root = os.path.join(xmtest.SOURCE_DIR, 'examples', 'root')
        as_list = xmc.compile(pv, vars=['vmid=3'], root=root)
        as_dict = xmc.compile(pathlib.Path(pv), vars={'vmid': 3}, root=pathlib.Path(root))
        as_bytes = xmc.compile(pv.encode(), vars={'vmid': '3'}, root=root)
        self.assertTrue(as_list.ok, as_list.render())
        self.assertEqual(as_list.emit('sxp'), as_dict.emit('sxp'))
        self.assertEqual(as_list.emit('sxp'), as_bytes.emit('sxp'))
        self.assertEqual(as_list.model['config']['name'], 'web03')
        # text= with a path: the unsaved contents of that file (an editor's buffer).
        with open(pv) as f:
            text = f.read()
        edited = xmc.compile(pv, text=text.replace('"web%02d"', '"db%02d"'), vars=['vmid=3'], root=root)
        self.assertEqual(edited.model['config']['name'], 'db03')
        self.assertEqual(edited.file, pv)

    def test_bad_configs_never_raise(self):
        cases = {
            'syntax': "name = 'a\n",
            'exception': 'x = 1 / 0\n',
            'loop': 'while True:\n    pass\n',
            'binary': b'\x00\xff\xfe',
            'latin1': b"name = '\xe9'\n",
            'huge': 'x = 1\n' * 200000,
        }
        for label, text in cases.items():
            with self.subTest(label):
                r = xmc.compile(text=text, filename=label + '.cfg', host='no', eval_timeout=1)
                self.assertIsInstance(r.diagnostics, list)
                self.assertFalse(r.ok, label)
                self.assertIsNone(r.emit('xl'))
                self.assertTrue(any(d.severity == 'error' for d in r.diagnostics), r.render())
        missing = xmc.compile('/nonexistent/xmc-test.cfg')
        self.assertFalse(missing.ok)
        self.assertIsNone(missing.model)
        self.assertEqual(missing.diagnostics[0].id, 'io-error')
        found = xmc.check(['/nonexistent/xmc-test-dir'])
        self.assertEqual([d.id for d in found], ['io-error'])

    def test_misuse_raises_usage_error(self):
        r = xmc.compile(text="name = 'a'\nkernel = '/k'\n", host='no')
        calls = [
            lambda: xmc.compile(),
            lambda: xmc.compile('a.cfg', host='maybe'),
            lambda: xmc.compile('a.cfg', frontend='perl'),
            lambda: xmc.compile('a.cfg', eval_timeout=-1),
            lambda: xmc.compile('a.cfg', vars='vmid=3'),
            lambda: xmc.compile('a.cfg', vars=['vmid']),
            lambda: xmc.compile('a.cfg', vars={'vmid': 1.5}),
            lambda: xmc.compile(''),
            lambda: xmc.compile('a\0b'),
            lambda: xmc.compile(42),
            lambda: xmc.compile(text=42),
            lambda: r.emit('perl'),
            lambda: r.emit('xenstore', domid=0),
            lambda: r.emit('xenstore', uuid='not-a-uuid'),
            lambda: xmc.check([]),
            lambda: xmc.check(42),
            lambda: xmc.check(['.'], host_cpus=0),
        ]
        for i, call in enumerate(calls):
            with self.subTest(call=i):
                with self.assertRaises(xmc.UsageError):
                    call()
        self.assertTrue(issubclass(xmc.UsageError, ValueError))

    def test_check_tree_cross_file(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            for n in ('a', 'b'):
                with open(os.path.join(d, n + '.cfg'), 'w') as f:
                    f.write("name = 'same'\nkernel = '/k'\n")
            found = xmc.check(d, host='no')
            ids = [x.id for x in found]
            self.assertIn('duplicate-name', ids, rendered(found))
            dup = found[ids.index('duplicate-name')]
            self.assertTrue(dup.file.endswith('b.cfg'))
            self.assertEqual(dup.source_line, "name = 'same'")

    def test_config_code_runs_outside_the_caller(self):
        """The config's code cannot see or touch this interpreter: a builtin planted here is
        not there, and the evaluation is another process (the worker, a child of this one)."""
        builtins.XMC_CANARY = 'here'
        try:
            r = xmc.compile(text="import os\nname = XMC_CANARY\n", filename='c.cfg', host='no')
        finally:
            del builtins.XMC_CANARY
        self.assertFalse(r.ok)
        self.assertIn('NameError', r.render())
        r = xmc.compile(text="import sys\nname = 'm%d' % len(sys.argv)\nkernel = '/k'\n", host='no')
        self.assertTrue(r.ok, r.render())
        children = []
        for pid in os.listdir('/proc'):
            try:
                with open('/proc/%s/stat' % pid) as f:
                    fields = f.read().rsplit(')', 1)[1].split()
                with open('/proc/%s/comm' % pid) as f:
                    comm = f.read().strip()
            except OSError:
                continue
            if pid.isdigit() and int(fields[1]) == os.getpid():
                children.append(comm)
        self.assertIn('xmc-eval', children)
        self.assertNotIn('xmc_eval', sys.modules)

    def test_threads(self):
        """Calls from several threads at once each get a worker of their own; the workers
        outlive the threads that started them (a second round of threads reuses them)."""
        for _ in range(2):
            self.one_round_of_threads()

    def one_round_of_threads(self):
        results = {}

        def run(i):
            results[i] = xmc.compile(text="name = 'vm%%d' %% %d\nkernel = '/k'\nif 1:\n    vcpus = %d\n" % (i, i),
                                     filename='t%d.cfg' % i, host='no')

        threads = [threading.Thread(target=run, args=(i,)) for i in range(1, 5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for i in range(1, 5):
            self.assertTrue(results[i].ok, results[i].render())
            self.assertEqual(results[i].model['config']['vcpus'], i)

    def test_fork_after_use(self):
        """A forked child (multiprocessing) starts a worker of its own; the parent's still works."""
        code = "import os\nname = 'f'\nkernel = '/k'\n"
        self.assertTrue(xmc.compile(text=code, host='no').ok)
        pid = os.fork()
        if pid == 0:
            ok = xmc.compile(text=code, host='no').ok
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        self.assertTrue(xmc.compile(text=code, host='no').ok)

    def test_examples(self):
        """bindings/examples.py (the README's examples) does what it says."""
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            src, out = os.path.join(d, 'src'), os.path.join(d, 'out')
            os.makedirs(os.path.join(src, 'sub'))
            configs = {'a.cfg': "name = 'a'\nkernel = '/k'\n",
                       os.path.join('sub', 'b.cfg'): "import os\nname = 'b' + str(len(os.sep))\nkernel = '/k'\n"}
            for name, text in configs.items():
                with open(os.path.join(src, name), 'w') as f:
                    f.write(text)
            script = os.path.join(HERE, 'examples.py')
            p = subprocess.run([sys.executable, script, '--to-xl', src, out], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(sorted(os.listdir(out)), ['a.xl.cfg', 'b.xl.cfg'])
            with open(os.path.join(out, 'b.xl.cfg')) as f:
                self.assertEqual(f.read(), xmc.compile(os.path.join(src, 'sub', 'b.cfg')).emit('xl'))
            p = subprocess.run([sys.executable, script, os.path.join(src, 'a.cfg'), 'memory=300'],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn('# guest type: pv', p.stdout)
            self.assertIn('memory = 300', p.stdout)

    def test_schema(self):
        s = xmc.schema()
        names = {v['name'] for v in s['variables']}
        self.assertIn('memory', names)
        self.assertIn('disk', names)
        self.assertTrue(xmc.__version__)


if __name__ == '__main__':
    unittest.main(verbosity=1)
