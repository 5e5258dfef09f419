"""The stub of the Python module (bindings/python/xmc/_xmc.pyi) against the module itself:
`mypy.stubtest` on the built package (names, properties, classes), the parameters of every
function and method against the signature pybind11 writes into its docstring (stubtest
cannot read a compiled function's parameters), and `mypy --strict` on bindings/examples.py,
which uses the whole API as the README shows it. Skips (77) without mypy."""

import ast
import importlib

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

try:
    import mypy  # noqa: F401
except ImportError:
    print('python_stub: skipped: mypy is not installed (Debian package mypy)')
    sys.exit(77)



def parameters(args):
    """(name, kind, default) of an ast.arguments, `self` left out."""
    out = []
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + args.defaults
    for a, d in zip(positional, defaults):
        out.append((a.arg, 'positional', ast.literal_eval(d) if d else '<none>'))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        out.append((a.arg, 'keyword', ast.literal_eval(d) if d else '<none>'))
    return [p for p in out if p[0] != 'self']


def runtime_parameters(obj):
    """The parameters in pybind11's docstring signature `name(a: T = d, *, b: U = e) -> R`."""
    first = (obj.__doc__ or '').splitlines()[0]
    head = first.rsplit(' -> ', 1)[0]
    # The annotations name C++-side types (xmc._xmc.Result, Optional[str]): only names,
    # kinds and defaults are compared.
    tree = ast.parse('def ' + head + ': pass')
    return parameters(tree.body[0].args)


def signature_problems(stub_path, module):
    problems = []
    tree = ast.parse(open(stub_path).read())
    for node in tree.body:
        owner, defs = module, [node]
        if isinstance(node, ast.ClassDef):
            owner, defs = getattr(module, node.name), node.body
        for d in defs:
            if not isinstance(d, ast.FunctionDef) or any(
                    isinstance(x, ast.Name) and x.id == 'property' for x in d.decorator_list):
                continue
            name = d.name if owner is module else owner.__name__ + '.' + d.name
            stub, runtime = parameters(d.args), runtime_parameters(getattr(owner, d.name))
            if stub != runtime:
                problems.append('%s: the stub has %s, the module %s' % (name, stub, runtime))
    return problems


package = os.environ.get('PYTHONPATH', '')
env = dict(os.environ, MYPYPATH=package)
failed = 0
for cmd in ([sys.executable, '-m', 'mypy.stubtest', '--concise', '--allowlist', os.path.join(HERE, 'stubtest-allowlist.txt'), 'xmc'],
            [sys.executable, '-m', 'mypy', '--strict', '--no-incremental', os.path.join(HERE, 'examples.py')]):
    with tempfile.TemporaryDirectory() as cwd:  # mypy reads the package from MYPYPATH alone
        p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    print(' '.join(cmd[2:]) + ': exit %d' % p.returncode)
    print(p.stdout + p.stderr, end='')
    failed += p.returncode != 0
sys.path.insert(0, package)
problems = signature_problems(os.path.join(HERE, 'python', 'xmc', '_xmc.pyi'), importlib.import_module('xmc._xmc'))
print('signatures: %d problem%s' % (len(problems), '' if len(problems) == 1 else 's'))
for p in problems:
    print('  ' + p)
failed += bool(problems)
sys.exit(1 if failed else 0)
