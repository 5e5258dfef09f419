# The Python half of xmc's Python front end, embedded in the xmc binary.
#
# It runs an xm config the way xm 4.4's `xm create` did (xm.md 1.4): a fresh global dict,
# a local dict seeded with xm's names, script variables from the command line. Python 2
# meaning is restored on Python 3 by rewriting the source (tokens) and the tree (AST)
# before compiling; every rewrite is reported as a note. The result is plain data:
# tuples of str/int/float/bytes, never a Python object of the config's own.

# Every module the evaluator uses is imported here, when the module loads: a sandboxed
# child has no file system left to import one from (the worker loads this module before it
# forks).
import ast
import builtins
import math  # noqa: F401
import signal  # noqa: F401
import time  # noqa: F401
import warnings  # noqa: F401
import errno
import fnmatch as fnmatch_mod
import functools
import importlib
import io
import json
import os
import posixpath
import re
import _socket
import struct
import sys
import types

# ---------------------------------------------------------------------------------------
# Python 2 values that Python 3 lacks: marker types so that xm's exact-type filter
# (long and unicode values are dropped) still sees them.


class _xmc_long(int):
    """A Python 2 long (1L)."""

    def __repr__(self):
        return int.__repr__(self) + 'L'


class _xmc_unicode(str):
    """A Python 2 unicode string (u'...')."""


def _py2_map(fn, *seqs):
    if fn is None:
        if len(seqs) == 1:
            return list(seqs[0])
        return list(zip(*seqs))
    return list(map(fn, *seqs))


def _py2_filter(fn, seq):
    result = [x for x in seq if (fn(x) if fn is not None else x)]
    if isinstance(seq, str):
        return ''.join(result)
    if isinstance(seq, tuple):
        return tuple(result)
    return result


def _py2_cmp(a, b):
    return (a > b) - (a < b)


# ---------------------------------------------------------------------------------------
# Python 2 iteration order of dicts and sets (xm.md 3.6): CPython 2.7's hash (no
# randomisation) and its open-addressing table, computed by the C++ side (_xmc_py2) that
# the writers use too. Keys whose hash Python 2 took from the object's address (None,
# functions, ...) have no reproducible order: such a dict or set says so once.

import _xmc_py2

_unordered = []  # (line, col) of the first dict/set whose order cannot be reproduced


class _NoHash(Exception):
    pass


def _py2_hash(k):
    """hash(k) as a 64-bit CPython 2.7 computed it; _NoHash where it depended on addresses."""
    if isinstance(k, bool):
        return int(k)
    if isinstance(k, int):
        if -2 ** 63 <= k < 2 ** 63:
            return -2 if k == -1 else int(k)
        raise _NoHash()
    if isinstance(k, str):
        return _xmc_py2.str_hash(_to_bytes(k))
    if isinstance(k, bytes):
        return _xmc_py2.str_hash(k)
    if isinstance(k, float):
        import math
        frac, whole = math.modf(k)
        if frac == 0.0 and -2 ** 63 <= whole < 2 ** 63:
            return _py2_hash(int(whole))
        if math.isinf(k) or math.isnan(k):
            raise _NoHash()
        m, e = math.frexp(k)
        m *= 2147483648.0
        hi = int(m)
        m = (m - hi) * 2147483648.0
        x = _wrap64(hi + int(m) + (e << 15))
        return -2 if x == -1 else x
    if isinstance(k, tuple):
        x, mult, n = 0x345678, 1000003, len(k)
        for item in k:
            n -= 1
            x = _wrap64((x ^ _py2_hash(item)) * mult)
            mult = _wrap64(mult + 82520 + n + n)
        x = _wrap64(x + 97531)
        return -2 if x == -1 else x
    raise _NoHash()


def _wrap64(x):
    x &= (1 << 64) - 1
    return x - (1 << 64) if x >= 1 << 63 else x


class _Py2Order:
    """The insertion/deletion log of a dict or set and its Python 2 iteration order."""

    def _order_init(self, presize=0):
        self._log, self._ids, self._presize, self._cache, self._nohash = [], {}, presize, None, False

    def _order_add(self, k):
        if k in self._ids:
            return
        try:
            h = _py2_hash(k)
        except _NoHash:
            h, self._nohash = 0, True
        self._ids[k] = (len(self._log), h)
        self._log.append((1, len(self._log), h))
        self._cache = None

    def _order_merge(self, n):
        self._log.append((2, -1, n))
        self._cache = None

    def _order_del(self, k):
        ident, h = self._ids.pop(k)
        self._log.append((0, ident, h))
        self._cache = None

    def _order(self, live):
        if self._cache is None:
            if self._nohash and not _unordered:
                _unordered.append(getattr(self, '_where', (0, 0, 0)))
            by_id = {ident: k for k, (ident, _h) in self._ids.items()}
            self._cache = [by_id[i] for i in _xmc_py2.order(self._log, self._presize) if i in by_id]
        return [k for k in self._cache if k in live]


class _Py2Dict(dict, _Py2Order):
    """dict with Python 2.7's iteration order; keys(), values(), items() return lists."""

    def __init__(self, *args, **kwargs):
        dict.__init__(self)
        self._order_init(getattr(self, '_presize_next', 0))
        self.update(*args, **kwargs)

    @classmethod
    def _display(cls, pairs, line=0, col=0, end=0):
        """A dict display {k: v, ...}: CPython 2.7 presizes it for its number of entries."""
        d = cls.__new__(cls)
        dict.__init__(d)
        d._order_init(len(pairs))
        d._where = (line, col, end)
        for k, v in pairs:
            d[k] = v
        return d

    def __setitem__(self, k, v):
        dict.__setitem__(self, k, v)
        self._order_add(k)

    def __delitem__(self, k):
        dict.__delitem__(self, k)
        self._order_del(k)

    def __iter__(self):
        return iter(self._order(self))

    def keys(self):
        return self._order(self)

    def values(self):
        return [dict.__getitem__(self, k) for k in self._order(self)]

    def items(self):
        return [(k, dict.__getitem__(self, k)) for k in self._order(self)]

    iterkeys = lambda self: iter(self.keys())
    itervalues = lambda self: iter(self.values())
    iteritems = lambda self: iter(self.items())
    viewkeys, viewvalues, viewitems = keys, values, items

    def has_key(self, k):
        return k in self

    def update(self, *args, **kwargs):
        # A mapping is merged in its own order (PyDict_Merge, which may grow the table
        # first); keyword arguments are such a mapping, which CPython 2.7 built from the
        # last argument to the first.
        for other in args:
            if hasattr(other, 'keys'):
                keys = list(other.keys())
                self._order_merge(len(keys))
                for k in keys:
                    self[k] = other[k]
            else:
                for k, v in other:
                    self[k] = v
        if kwargs:
            self.update(_Py2Dict(list(kwargs.items())[::-1]))

    def setdefault(self, k, v=None):
        if k not in self:
            self[k] = v
        return dict.__getitem__(self, k)

    _missing = object()

    def pop(self, k, default=_missing):
        if k in self:
            v = dict.__getitem__(self, k)
            del self[k]
            return v
        if default is _Py2Dict._missing:
            raise KeyError(k)
        return default

    def popitem(self):
        if not self:
            raise KeyError('popitem(): dictionary is empty')
        k = self._order(self)[0]
        return k, self.pop(k)

    def clear(self):
        for k in list(self):
            del self[k]

    def copy(self):
        return _Py2Dict(self)

    def __repr__(self):
        return '{' + ', '.join('%s: %s' % (repr(k), repr(v)) for k, v in self.items()) + '}'

    __str__ = __repr__


class _Py2Set(set, _Py2Order):
    """set with Python 2.7's iteration order."""

    def __init__(self, items=()):
        set.__init__(self)
        self._order_init()
        for x in items:
            self.add(x)

    def add(self, x):
        set.add(self, x)
        self._order_add(x)

    def discard(self, x):
        if x in self:
            set.discard(self, x)
            self._order_del(x)

    def remove(self, x):
        if x not in self:
            raise KeyError(x)
        self.discard(x)

    def pop(self):
        if not self:
            raise KeyError('pop from an empty set')
        x = self._order(self)[0]
        self.discard(x)
        return x

    def update(self, *others):
        for o in others:
            for x in o:
                self.add(x)

    def __iter__(self):
        return iter(self._order(self))

    def union(self, *others):
        out = _Py2Set(self)
        out.update(*others)
        return out

    def intersection(self, *others):
        return _Py2Set(x for x in self if all(x in o for o in others))

    def difference(self, *others):
        return _Py2Set(x for x in self if not any(x in o for o in others))

    def symmetric_difference(self, other):
        return _Py2Set([x for x in self if x not in other] + [x for x in other if x not in self])

    __or__, __and__, __sub__, __xor__ = union, intersection, difference, symmetric_difference

    def copy(self):
        return _Py2Set(self)

    def __repr__(self):
        return 'set([' + ', '.join(repr(x) for x in self) + '])'

    __str__ = __repr__


# ---------------------------------------------------------------------------------------
# str() of a float, round() and print as Python 2 had them.

def _float_str(f):
    """str(f) in Python 2.7: 12 significant digits ('%.12g'), '.0' added to integers."""
    if f != f:
        return 'nan'
    if f in (float('inf'), float('-inf')):
        return 'inf' if f > 0 else '-inf'
    text = '%.12g' % f
    if not any(c in text for c in '.en'):
        text += '.0'
    return text


class _Py2Float(float):
    """A float that str() and %s show as Python 2 did."""

    def __str__(self):
        return _float_str(self)


class _StrMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, str)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, str)


class _py2_str(str, metaclass=_StrMeta):
    """The config's str: as Python 3's, but str(float) has Python 2's 12 digits."""

    def __new__(cls, obj=''):
        if type(obj) is float:
            return _float_str(obj)
        return str(obj)


def _py2_str_of(x):
    return _float_str(x) if type(x) is float else str(x)


def _py2_round(x, n=0):
    """round() in Python 2.7: a float, halves away from zero (on the exact binary value)."""
    x = float(x)
    if x != x or x in (float('inf'), float('-inf')):
        return x
    n = int(n)
    num, den = abs(x).as_integer_ratio()  # exact: rounded in integers, as decimal would
    scale = 10 ** abs(n)
    if n >= 0:
        q, r = divmod(num * scale, den)
        result = (q + (2 * r >= den)) / scale
    else:
        q, r = divmod(num, den * scale)
        result = float((q + (2 * r >= den * scale)) * scale)
    return math.copysign(result, x)


def _xmc_placed(obj, line, col, end):
    """A dict or set made by a call: where, for the py2-unordered warning."""
    if isinstance(obj, _Py2Order):
        obj._where = (line, col, end)
    return obj


def _xmc_mod(a, b):
    """a % b, with Python 2's str() for the floats a format string shows with %s."""
    if isinstance(a, str):
        if type(b) is float:
            b = _Py2Float(b)
        elif type(b) is tuple:
            b = tuple(_Py2Float(x) if type(x) is float else x for x in b)
        elif isinstance(b, dict):
            b = {k: (_Py2Float(v) if type(v) is float else v) for k, v in b.items()}
    return a % b


def _xmc_print(*items, **kw):
    """The print statement: str() of each item (Python 2's for floats), blank-separated."""
    text = ' '.join(_py2_str_of(x) for x in items)
    out = kw.get('file') or sys.stdout
    out.write(text + kw.get('end', '\n'))


def _make_builtins(modules):
    b = dict(builtins.__dict__)
    b.update({
        '__import__': _make_import(modules),
        'open': _read_only_open,
        'file': _read_only_open,
        'input': _refused_builtin('input'),
        'breakpoint': _refused_builtin('breakpoint'),
        'map': _py2_map,
        'filter': _py2_filter,
        'range': lambda *a: list(range(*a)),
        'xrange': range,
        'zip': lambda *a: list(zip(*a)),
        'reduce': functools.reduce,
        'long': _xmc_long,
        'unicode': _xmc_unicode,
        'basestring': str,
        'cmp': _py2_cmp,
        'raw_input': _refused_builtin('raw_input'),
        'dict': _Py2Dict,
        'set': _Py2Set,
        'frozenset': _Py2Set,
        'str': _py2_str,
        'round': _py2_round,
    })
    return b


# ---------------------------------------------------------------------------------------
# xen.util.ip, re-implemented (the names xm star-imported into the config namespace).

def _route_table():
    reply = _HOST.ask('read_file', '/proc/net/route')
    if not reply['ok']:
        return []
    rows = []
    for line in _from_wire(reply['data']).splitlines()[1:]:
        cols = line.split()
        if len(cols) >= 8:
            rows.append(cols)
    return rows


def get_defaultroute():
    for cols in _route_table():
        if cols[1] == '00000000':
            return cols[0]
    return None


def _ifaddr(dev, which):
    reply = _HOST.ask('if_addr', dev, which)
    return _from_wire(reply['data']) if reply['ok'] else None


def get_current_ipaddr(dev='defaultroute'):
    if dev == 'defaultroute':
        dev = get_defaultroute()
    if not dev:
        return None
    return _ifaddr(dev, 'addr')


def get_current_ipmask(dev='defaultroute'):
    if dev == 'defaultroute':
        dev = get_defaultroute()
    if not dev:
        return None
    return _ifaddr(dev, 'mask')


def get_current_ipgw(dev='defaultroute'):
    if dev == 'defaultroute':
        dev = get_defaultroute()
    if not dev:
        return None
    for cols in _route_table():
        if cols[0] == dev and cols[1] == '00000000':
            return _socket.inet_ntoa(struct.pack('<L', int(cols[2], 16)))
    return None


def inet_aton(addr):
    return struct.unpack('!L', _socket.inet_aton(addr))[0]


def inet_ntoa(n):
    return _socket.inet_ntoa(struct.pack('!L', n & 0xffffffff))


def add_offset_to_ip(addr, offset):
    return inet_ntoa(inet_aton(addr) + offset)


def check_subnet(ip, network, netmask):
    n = inet_aton(netmask)
    return (inet_aton(ip) & n) == (inet_aton(network) & n)


_IP_NAMES = ['get_defaultroute', 'get_current_ipaddr', 'get_current_ipmask',
             'get_current_ipgw', 'inet_aton', 'inet_ntoa', 'add_offset_to_ip',
             'check_subnet']


# ---------------------------------------------------------------------------------------
# The machine, as the config sees it: every question goes to xmc's Host (host.h) as a
# JSON request, so `--root` applies to the config's os.path.exists as to xmc's own
# lookups, and a config can learn about the machine but change nothing. The modules a
# config may import are facades over it (os, os.path, sys, socket, time, glob) or pure
# (re, string, struct, errno, math, fnmatch, copy); anything else is refused.

class _XmcRefused(Exception):
    """A config reached for something xmc does not let it do."""


# --unsandboxed (a trusted config): what the facades refuse comes from the real modules.
_TRUSTED = False


def _utf8(text):
    """A str as bytes: UTF-8, a byte that came in undecodable as itself (surrogateescape),
    any other lone surrogate as Python 2 encoded it (surrogatepass)."""
    try:
        return text.encode('utf-8', 'surrogateescape')
    except UnicodeEncodeError:
        return _utf8_mixed(text)


def _utf8_mixed(text):
    out = bytearray()
    for c in text:
        o = ord(c)
        out += bytes([o - 0xdc00]) if 0xdc80 <= o <= 0xdcff else c.encode('utf-8', 'surrogatepass')
    return bytes(out)


def _to_wire(text):
    """A str (path, name) as the protocol's Latin-1 code points of its bytes."""
    return _utf8(text).decode('latin-1')


def _from_wire(text):
    return text.encode('latin-1').decode('utf-8', 'surrogateescape')


class _HostClient:
    def __init__(self):
        self._ask = None

    def ask(self, op, path='', name='', count=0):
        if self._ask is None:
            raise _XmcRefused('the host (no Host was given)')
        request = json.dumps({'op': op, 'path': _to_wire(path), 'name': name, 'count': count})
        return json.loads(self._ask(request))


_HOST = _HostClient()


def _fspath(path):
    if isinstance(path, bytes):
        return path.decode('utf-8', 'surrogateescape')
    if not isinstance(path, str):
        raise TypeError('coercing to Unicode: need string or buffer, %s found' % type(path).__name__)
    return path


def _oserror(reply, path):
    return OSError(reply['code'] or errno.EIO, reply['error'], path)


def _stat(path, op='stat'):
    path = _fspath(path)
    reply = _HOST.ask(op, path)
    if not reply['ok']:
        raise _oserror(reply, path)
    i = reply['info']
    return os.stat_result((i['mode'], i['inode'], i['device'], 1, 0, 0, i['size'], i['mtime'], i['mtime'],
                           i['mtime']))


def _module(name, doc, attrs):
    """A facade module: `attrs`, and a refusal for anything else."""
    m = types.ModuleType(name, doc)
    m.__dict__.update(attrs)

    def refuse(attr):
        if attr.startswith('__'):
            raise AttributeError(attr)
        if _TRUSTED:  # --unsandboxed: the real module's attribute
            return getattr(importlib.import_module(name), attr)
        raise _XmcRefused('%s.%s' % (name, attr))
    m.__getattr__ = refuse
    return m


def _make_path_module():
    def exists(p):
        try:
            _stat(p)
            return True
        except (OSError, TypeError):
            return False

    def lexists(p):
        try:
            _stat(p, 'lstat')
            return True
        except (OSError, TypeError):
            return False

    def kind_is(kind, op='stat'):
        def test(p):
            try:
                path = _fspath(p)
            except TypeError:
                return False
            reply = _HOST.ask(op, path)
            return reply['ok'] and reply['info']['kind'] == kind
        return test

    def getcwd():
        return _from_wire(_HOST.ask('cwd')['data'])

    def abspath(p):
        p = _fspath(p)
        return posixpath.normpath(p if p.startswith('/') else posixpath.join(getcwd(), p))

    def realpath(p):
        reply = _HOST.ask('real_path', _fspath(p))
        return _from_wire(reply['data']) if reply['ok'] else abspath(p)

    def expanduser(p):
        p = _fspath(p)
        if not p.startswith('~'):
            return p
        reply = _HOST.ask('getenv', 'HOME')
        home = _from_wire(reply['data']) if reply['ok'] else _from_wire(_HOST.ask('passwd_home')['data'])
        slash = p.find('/')
        return home + (p[slash:] if slash >= 0 else '') if p == '~' or p.startswith('~/') else p

    attrs = {n: getattr(posixpath, n) for n in (
        'join', 'split', 'splitext', 'basename', 'dirname', 'normpath', 'isabs', 'commonprefix', 'normcase',
        'splitdrive', 'sep', 'pathsep', 'curdir', 'pardir', 'extsep', 'altsep', 'defpath', 'devnull')}
    attrs.update({
        'exists': exists, 'lexists': lexists, 'isfile': kind_is('file'), 'isdir': kind_is('directory'),
        'islink': kind_is('symlink', 'lstat'), 'getsize': lambda p: _stat(p).st_size,
        'getmtime': lambda p: float(_stat(p).st_mtime), 'abspath': abspath, 'realpath': realpath,
        'expanduser': expanduser, '_getcwd': getcwd,
    })
    return _module('os.path', 'os.path as xmc lets a config use it', attrs)


_env_missed = []  # (name, line): environment variables the config asked for and did not get
_config_path = ['']  # the file being evaluated (its frames carry this name)


class _Environ(dict):
    """os.environ of a config: the variables xmc passes to configs. A name asked for and
    missing is remembered, so that xmc can say when it is one it withheld (--pass-env)."""

    def _missed(self, key):
        if isinstance(key, str) and all(n != key for n, _l in _env_missed):
            f = sys._getframe(1)
            while f is not None and f.f_code.co_filename != _config_path[0]:
                f = f.f_back
            _env_missed.append((key, f.f_lineno if f is not None else 0))

    def __getitem__(self, key):
        if not dict.__contains__(self, key):
            self._missed(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        if not dict.__contains__(self, key):
            self._missed(key)
            return default
        return dict.__getitem__(self, key)

    def __contains__(self, key):
        if not dict.__contains__(self, key):
            self._missed(key)
            return False
        return True

    has_key = __contains__


def _make_os_module(path_module):
    env_reply = _HOST.ask('environ')
    environ = _Environ({_from_wire(k): _from_wire(v) for k, v in env_reply['environ'].items()})

    def listdir(p='.'):
        p = _fspath(p)
        reply = _HOST.ask('list_dir', p)
        if not reply['ok']:
            raise _oserror(reply, p)
        return [_from_wire(n) for n in reply['names']]

    def uname():
        return tuple(_from_wire(n) for n in _HOST.ask('uname')['names'])

    def access(p, mode):
        return path_module.exists(p)

    attrs = {
        'path': path_module, 'environ': environ, 'getenv': lambda k, d=None: environ.get(k, d),
        'getcwd': path_module._getcwd, 'getcwdu': path_module._getcwd, 'listdir': listdir, 'stat': _stat,
        'lstat': lambda p: _stat(p, 'lstat'), 'uname': uname, 'access': access, 'error': OSError,
        'name': 'posix', 'sep': '/', 'pathsep': ':', 'linesep': '\n', 'curdir': '.', 'pardir': '..',
        'extsep': '.', 'altsep': None, 'devnull': '/dev/null', 'F_OK': 0, 'R_OK': 4, 'W_OK': 2, 'X_OK': 1,
        'stat_result': os.stat_result,
    }
    return _module('os', 'os as xmc lets a config use it', attrs)


def _make_sys_module(argv):
    attrs = {
        'argv': argv, 'exit': sys.exit, 'version': sys.version, 'version_info': sys.version_info,
        'hexversion': sys.hexversion, 'maxsize': sys.maxsize, 'maxint': sys.maxsize, 'platform': 'linux2',
        'byteorder': sys.byteorder, 'path': [], 'stdout': _StdStream('stdout'), 'stderr': _StdStream('stderr'),
    }
    return _module('sys', 'sys as xmc lets a config use it', attrs)


class _StdStream:
    """sys.stdout / sys.stderr of a config: whatever the evaluator captures them into."""

    def __init__(self, which):
        self._which = which

    def __getattr__(self, attr):
        return getattr(getattr(sys, self._which), attr)


def _make_socket_module():
    def gethostname():
        return _from_wire(_HOST.ask('uname')['names'][1])
    attrs = {'gethostname': gethostname, 'getfqdn': lambda name='': name or gethostname(),
             'inet_aton': _socket.inet_aton, 'inet_ntoa': _socket.inet_ntoa, 'error': OSError,
             'AF_INET': _socket.AF_INET}
    return _module('socket', 'socket as xmc lets a config use it: names and addresses, no sockets', attrs)


def _make_time_module():
    import time as real_time

    def now():
        return _HOST.ask('time')['number']

    def at(fn):
        return lambda t=None: fn(now() if t is None else t)
    attrs = {'time': now, 'localtime': at(real_time.localtime), 'gmtime': at(real_time.gmtime),
             'ctime': at(real_time.ctime), 'strftime': lambda f, t=None: real_time.strftime(
                 f, real_time.localtime(now()) if t is None else t),
             'mktime': real_time.mktime, 'asctime': lambda t=None: real_time.asctime(
                 real_time.localtime(now()) if t is None else t), 'struct_time': real_time.struct_time}
    return _module('time', 'time as xmc lets a config use it: the host clock', attrs)


def _make_glob_module(os_module):
    def glob(pattern):
        pattern = _fspath(pattern)
        absolute = pattern.startswith('/')
        parts = [p for p in pattern.split('/') if p]
        found = ['/' if absolute else '']
        for part in parts:
            nxt = []
            for base in found:
                if any(c in part for c in '*?['):
                    try:
                        names = os_module.listdir(base or '.')
                    except OSError:
                        continue
                    for n in sorted(names):
                        if (n.startswith('.') and not part.startswith('.')) or not fnmatch_mod.fnmatch(n, part):
                            continue
                        nxt.append(posixpath.join(base, n) if base else n)
                else:
                    cand = posixpath.join(base, part) if base else part
                    if os_module.path.lexists(cand):
                        nxt.append(cand)
            found = nxt
        return found if parts else []
    return _module('glob', 'glob over the host', {'glob': glob, 'iglob': lambda p: iter(glob(p))})


_PURE_MODULES = ('re', 'struct', 'errno', 'math', 'fnmatch', 'copy')


def _make_string_module():
    """Python 2's string module: its constants and the functions that took the string as
    their first argument (string.join(words, sep) and the like)."""
    def split(s, sep=None, maxsplit=-1):
        return s.split(sep, maxsplit)

    def join(words, sep=' '):
        return sep.join(words)

    def atoi(s, base=10):
        return int(s, base)

    def replace(s, old, new, maxreplace=-1):
        return s.replace(old, new, maxreplace)

    def capwords(s, sep=None):
        return (sep or ' ').join(w.capitalize() for w in s.split(sep))

    attrs = {
        'letters': 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
        'lowercase': 'abcdefghijklmnopqrstuvwxyz', 'uppercase': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        'ascii_letters': 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
        'ascii_lowercase': 'abcdefghijklmnopqrstuvwxyz', 'ascii_uppercase': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        'digits': '0123456789', 'hexdigits': '0123456789abcdefABCDEF', 'octdigits': '01234567',
        'punctuation': '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', 'whitespace': '\t\n\x0b\x0c\r ',
        'split': split, 'splitfields': split, 'join': join, 'joinfields': join, 'atoi': atoi, 'atol': atoi,
        'atof': float, 'replace': replace, 'capwords': capwords,
        'lower': lambda s: s.lower(), 'upper': lambda s: s.upper(), 'swapcase': lambda s: s.swapcase(),
        'capitalize': lambda s: s.capitalize(), 'strip': lambda s, chars=None: s.strip(chars),
        'lstrip': lambda s, chars=None: s.lstrip(chars), 'rstrip': lambda s, chars=None: s.rstrip(chars),
        'find': lambda s, *a: s.find(*a), 'rfind': lambda s, *a: s.rfind(*a), 'index': lambda s, *a: s.index(*a),
        'rindex': lambda s, *a: s.rindex(*a), 'count': lambda s, *a: s.count(*a),
        'zfill': lambda s, width: str(s).zfill(width), 'ljust': lambda s, *a: s.ljust(*a),
        'rjust': lambda s, *a: s.rjust(*a), 'center': lambda s, *a: s.center(*a),
        'expandtabs': lambda s, tabsize=8: s.expandtabs(tabsize),
    }
    attrs['printable'] = attrs['digits'] + attrs['letters'] + attrs['punctuation'] + attrs['whitespace']
    return _module('string', "Python 2's string module", attrs)


def _make_modules(argv):
    path_module = _make_path_module()
    os_module = _make_os_module(path_module)
    ip = _module('xen.util.ip', 'xen.util.ip', {n: globals()[n] for n in _IP_NAMES})
    modules = {'os': os_module, 'os.path': path_module, 'posixpath': path_module, 'sys': _make_sys_module(argv),
               'socket': _make_socket_module(), 'time': _make_time_module(),
               'glob': _make_glob_module(os_module), 'xen.util.ip': ip, 'string': _make_string_module(),
               'xen': _module('xen', 'xen', {'util': None}), 'xen.util': _module('xen.util', 'xen.util', {'ip': ip})}
    modules['xen'].util = modules['xen.util']
    for name in _PURE_MODULES:
        modules[name] = importlib.import_module(name)
    return modules


_FORKED = None


def prepare_forked(host):
    """In a fork server, before its first child: the modules and builtins of a config,
    built once (see PrepareForkedEvaluations); every child has its own copy."""
    global _FORKED
    _HOST._ask = host
    try:
        modules = _make_modules([''])
        _FORKED = (modules, _make_builtins(modules))
    finally:
        _HOST._ask = None


def _make_import(modules):
    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        if _TRUSTED and (level != 0 or name not in modules):
            return builtins.__import__(name, globals, locals, fromlist, level)
        if level != 0 or name not in modules:
            raise _XmcRefused("import of module '%s'" % name)
        if fromlist:
            return modules[name]
        return modules[name.split('.')[0]]
    return _import


def _read_only_open(path, mode='r', *args, **kwargs):
    """A config's open and Python 2's file: reading only, through the Host."""
    if _TRUSTED:
        return builtins.open(path, mode, *args, **kwargs)
    if any(c in mode for c in 'wax+'):
        raise _XmcRefused("opening a file with mode '%s'" % mode)
    path = _fspath(path)
    reply = _HOST.ask('read_file', path)
    if not reply['ok']:
        raise IOError(reply['code'] or errno.EIO, reply['error'], path)
    data = reply['data'].encode('latin-1')
    if 'b' in mode:
        return io.BytesIO(data)
    return io.StringIO(data.decode('utf-8', 'surrogateescape'))


def _refused_builtin(name):
    def refuse(*args, **kwargs):
        if _TRUSTED:
            return getattr(builtins, name)(*args, **kwargs)
        raise _XmcRefused(name + '()')
    return refuse


# ---------------------------------------------------------------------------------------
# xm_vars (xen.xm.help.Vars)

class _VarCheckError(Exception):
    pass


class _EvalTimeout(BaseException):
    """Raised by the alarm; a BaseException so that a config's `except Exception` cannot
    swallow it."""


class Vars:
    """xm's helper for declaring script variables: var(name, use, check), check()."""

    def __init__(self, name, help_flag, env):
        self.name = name
        self.help = help_flag
        self.env = env
        self.vars = []

    def var(self, name, use=None, check=None):
        self.vars.append((name, use, check))
        _declared.append(name)

    def check(self):
        for (name, use, check) in self.vars:
            if not check:
                continue
            try:
                val = self.env.get(name)
                self.env[name] = check(name, val)
            except Exception as ex:  # xm: StandardError, re-raised as "name - message"
                raise _VarCheckError('%s - %s' % (name, ex)) from None

    def doHelp(self, out=None):
        out = out or sys.stdout
        for (name, use, check) in self.vars:
            out.write('%s\t%s\n' % (name, use or ''))


_declared = []


# ---------------------------------------------------------------------------------------
# Token-level rewrites of Python 2 syntax.

_TOKEN_RE = re.compile(r'''
    (?P<comment>\#[^\r\n]*)
  | (?P<string>(?:[uUbB]?[rR]?)(?:\'\'\'(?:\\.|[^\\])*?\'\'\'|"""(?:\\.|[^\\])*?"""
                                 |'(?:\\.|[^\\'\r\n])*'|"(?:\\.|[^\\"\r\n])*"))
  | (?P<number>(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+
               |(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?)[lLjJ]?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<newline>\r?\n|\r)
  | (?P<cont>\\\r?\n)
  | (?P<space>[ \t\f]+)
  | (?P<op><>|\*\*=?|//=?|>>=?|<<=?|[-+*/%&|^=<>!]=|[-+*/%&|^~<>()\[\]{},:;.`=@])
  | (?P<other>.)
''', re.VERBOSE | re.DOTALL)


class _Tok:
    __slots__ = ('kind', 'text', 'line', 'col', 'depth')

    def __init__(self, kind, text, line, col, depth):
        self.kind, self.text, self.line, self.col, self.depth = kind, text, line, col, depth


def _tokenize(src):
    toks = []
    line, col, depth = 1, 0, 0
    pos = 0
    while pos < len(src):
        m = _TOKEN_RE.match(src, pos)
        kind = m.lastgroup
        text = m.group()
        if kind == 'op' and text in '([{':
            toks.append(_Tok(kind, text, line, col, depth))
            depth += 1
        elif kind == 'op' and text in ')]}':
            depth = max(0, depth - 1)
            toks.append(_Tok(kind, text, line, col, depth))
        else:
            toks.append(_Tok(kind, text, line, col, depth))
        nl = text.count('\n') + (text.count('\r') - text.count('\r\n'))
        if nl:
            line += nl
            col = len(text) - max(text.rfind('\n'), text.rfind('\r')) - 1
        else:
            col += len(text)
        pos = m.end()
    return toks


class _Rewriter:
    def __init__(self, src):
        self.toks = _tokenize(src)
        self.out = [t.text for t in self.toks]
        self.notes = []
        self.edits = {}  # line -> list of (old_col, delta) for column mapping

    def note(self, key, tok, *args, end=None):
        width = len(tok.text) if end is None else end
        self.notes.append((key, tok.line, tok.col + 1, tok.col + 1 + width, args))

    def replace(self, i, text):
        tok = self.toks[i]
        delta = len(text) - len(self.out[i])
        if delta and '\n' not in tok.text:
            self.edits.setdefault(tok.line, []).append((tok.col + len(tok.text), delta))
        self.out[i] = text

    def significant(self, i, step):
        j = i + step
        while 0 <= j < len(self.toks) and self.toks[j].kind in ('space', 'cont', 'comment'):
            j += step
        return j

    def at_statement_start(self, i):
        j = self.significant(i, -1)
        if j < 0:
            return True
        t = self.toks[j]
        if t.kind == 'newline' and t.depth == 0:
            return True
        return t.kind == 'op' and t.text in (':', ';') and t.depth == 0

    def statement_end(self, i):
        """Index of the newline/';'/comment ending the logical line that holds token i."""
        depth0 = self.toks[i].depth
        j = i + 1
        while j < len(self.toks):
            t = self.toks[j]
            if t.depth == depth0 and (t.kind == 'newline' or t.kind == 'comment'
                                      or (t.kind == 'op' and t.text == ';')):
                return j
            j += 1
        return j

    def rebinds_true_false(self):
        """The tokens where the file assigns to True or False (plain names in Python 2)."""
        sites = set()
        for i, t in enumerate(self.toks):
            if t.kind != 'name' or t.text not in ('True', 'False'):
                continue
            nxt, prev = self.significant(i, 1), self.significant(i, -1)
            if nxt < len(self.toks) and self.toks[nxt].kind == 'op' and (
                    self.toks[nxt].text == '=' or (self.toks[nxt].text.endswith('=') and
                                                   self.toks[nxt].text not in ('==', '!=', '<=', '>='))):
                sites.add(i)
            if prev >= 0 and self.toks[prev].kind == 'name' and self.toks[prev].text in ('for', 'as', 'global'):
                sites.add(i)
        return sites

    def run(self):
        backtick_open = False
        rebound = self.rebinds_true_false()
        for i, t in enumerate(self.toks):
            if rebound and t.kind == 'name' and t.text in ('True', 'False'):
                prev = self.significant(i, -1)
                if prev < 0 or self.toks[prev].text != '.':
                    # Python 2's True and False were names a config could rebind.
                    self.replace(i, '_xmc_' + t.text)
                    if i in rebound:
                        self.note('py2-true-false', t, t.text)
            if t.kind == 'space' and '\t' in t.text and t.depth == 0 and (i == 0 or self.toks[i - 1].kind == 'newline'):
                # Indentation as Python 2 read it: a tab advances to the next multiple of 8.
                self.replace(i, t.text.expandtabs(8))
            if t.kind == 'number':
                self.number(i, t)
            elif t.kind == 'string':
                self.string(i, t)
            elif t.kind == 'op' and t.text == '`':
                self.replace(i, ')' if backtick_open else 'repr(')
                if not backtick_open:
                    self.note('py2-backtick', t)
                backtick_open = not backtick_open
            elif t.kind == 'op' and t.text == '<>':
                self.replace(i, '!=')
                self.note('py2-not-equal', t)
            elif t.kind == 'name' and t.text in ('print', 'exec') and self.at_statement_start(i):
                self.call_statement(i, t)
            elif t.kind == 'name' and t.text == 'except':
                self.except_clause(i)
            elif t.kind == 'name' and t.text == 'raise' and self.at_statement_start(i):
                self.raise_statement(i)
        return ''.join(self.out)

    def number(self, i, t):
        text = t.text
        if text[-1] in 'lL':
            self.replace(i, '_xmc_long(%s)' % self.plain_number(text[:-1]))
            self.note('py2-long', t, text)
        elif re.match(r'^0[0-7]+$', text):
            self.replace(i, '0o' + text[1:])
            self.note('py2-octal', t, text, str(int(text[1:], 8)))
        elif re.match(r'^0[0-9]+$', text):
            pass  # 08: a syntax error in Python 2 as well; let the compiler say so

    @staticmethod
    def plain_number(text):
        if re.match(r'^0[0-7]+$', text):
            return '0o' + text[1:]
        return text

    def string(self, i, t):
        m = re.match(r'^([uUbB]?)([rR]?)', t.text)
        kind, raw = m.group(1).lower(), m.group(2)
        body = t.text[m.end():]
        body_text = raw + body  # a Python 2 b'' literal is a plain str
        if not raw and kind != 'u':
            # \u, \U and \N are escapes only in Python 3 str: keep them literal.
            body_text = re.sub(r'(?<!\\)((?:\\\\)*)\\([uUN])', r'\1\\\\\2', body_text)
        new = '_xmc_unicode(%s)' % body_text if kind == 'u' else body_text
        if new != t.text:
            self.replace(i, new)

    def call_statement(self, i, t):
        j = self.significant(i, 1)
        n = self.toks[j] if j < len(self.toks) else None
        if n is not None:
            n = self.toks[j]
            # The name used otherwise (print(...) is still the statement: a tuple for two items).
            if n.kind == 'op' and n.text in ('=', '.', ')', ',', '['):
                return
            if t.text == 'exec' and n.kind == 'op' and n.text == '(':
                return
        end = self.statement_end(i)
        args = [k for k in range(i + 1, end) if self.toks[k].kind not in ('space',)]
        if t.text == 'print':
            if not (n is not None and n.kind == 'op' and n.text == '('):
                self.note('py2-print', t)
            self.rewrite_print(i, args, end)
        else:
            self.rewrite_exec(i, args, end)

    def rewrite_print(self, i, args, end):
        pieces = [self.toks[k] for k in args]
        trailing_comma = bool(pieces) and pieces[-1].kind == 'op' and pieces[-1].text == ','
        suffix = []
        if pieces and pieces[0].kind == 'op' and pieces[0].text == '>>':
            # print >>f, x  ->  print(x, file=f)
            comma = next((k for k in args if self.toks[k].kind == 'op' and self.toks[k].text == ','
                          and self.toks[k].depth == self.toks[i].depth), None)
            target_end = comma if comma is not None else end
            target = ''.join(self.out[k] for k in range(args[0] + 1, target_end))
            for k in range(args[0], target_end + (1 if comma is not None else 0)):
                self.replace(k, '')
            suffix.append('file=%s' % target.strip())
        if trailing_comma:
            self.replace(args[-1], '')
            suffix.append("end=' '")
        self.replace(i, '_xmc_print(')
        body = ''.join(self.out[k] for k in range(i + 1, end)).strip()
        closing = (', ' if body and suffix else '') + ', '.join(suffix) + ')'
        last = end - 1
        self.replace(last, self.out[last] + closing)

    def rewrite_exec(self, i, args, end):
        self.replace(i, 'exec(')
        for k in args:
            if self.toks[k].kind == 'name' and self.toks[k].text == 'in' and \
                    self.toks[k].depth == self.toks[i].depth:
                self.replace(k, ',')
        self.replace(end - 1, self.out[end - 1] + ')')

    def except_clause(self, i):
        depth = self.toks[i].depth
        j = i + 1
        comma = None
        while j < len(self.toks):
            t = self.toks[j]
            if t.depth == depth and t.kind == 'op' and t.text == ':':
                break
            if t.depth == depth and t.kind == 'op' and t.text == ',':
                comma = j
            if t.kind == 'newline' and t.depth == depth:
                return
            j += 1
        if comma is not None:
            self.replace(comma, ' as ')
            self.note('py2-except', self.toks[i])

    def raise_statement(self, i):
        end = self.statement_end(i)
        depth = self.toks[i].depth
        commas = [k for k in range(i + 1, end)
                  if self.toks[k].kind == 'op' and self.toks[k].text == ',' and self.toks[k].depth == depth]
        if len(commas) == 1:
            # raise E, "msg"  ->  raise E("msg")
            self.replace(commas[0], '(')
            self.replace(end - 1, self.out[end - 1] + ')')

    def map_col(self, line, col):
        """Maps a 1-based column of the rewritten source back to the original."""
        shift = 0
        for (old_end, delta) in sorted(self.edits.get(line, [])):
            if col - 1 >= old_end + shift + delta:
                shift += delta
        return max(1, col - shift)


# ---------------------------------------------------------------------------------------
# AST rewrites: integer division, leaking list comprehensions, assignment positions.

_SKIP_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_AST = ast.AST


# The tree walks of the `ast` module, without their per-node generators and getattr
# calls: a config is evaluated once per child, and these walks were most of its cost.

def _children(node):
    """The child nodes of `node`, in field order (ast.iter_child_nodes)."""
    out = []
    for name in node._fields:
        v = getattr(node, name, None)
        if v.__class__ is list:
            out.extend([x for x in v if isinstance(x, _AST)])
        elif isinstance(v, _AST):
            out.append(v)
    return out


def _walk(tree):
    """Every node of `tree`, breadth first, in ast.walk's order."""
    out = [tree]
    i = 0
    while i < len(out):
        out.extend(_children(out[i]))
        i += 1
    return out


_POSITIONS = ('lineno', 'col_offset', 'end_lineno', 'end_col_offset')


def _fix_locations(tree):
    """ast.fix_missing_locations: a node without a position takes its parent's."""
    todo = [(tree, (1, 0, 1, 0))]
    while todo:
        node, inherited = todo.pop()
        if 'lineno' in node._attributes:
            d = node.__dict__
            own = []
            for name, value in zip(_POSITIONS, inherited):
                if d.get(name) is None:
                    setattr(node, name, value)
                    own.append(value)
                else:
                    own.append(d[name])
            inherited = tuple(own)
        todo.extend([(child, inherited) for child in _children(node)])
    return tree


class _Transformer:
    """ast.NodeTransformer with its visitor looked up once per node class."""

    def visit(self, node):
        cls = node.__class__
        method = self._methods.get(cls)
        if method is None:
            method = getattr(type(self), 'visit_' + cls.__name__, None) or type(self).generic_visit
            self._methods[cls] = method
        return method(self, node)

    def generic_visit(self, node):
        for name in node._fields:
            old = getattr(node, name, None)
            if old.__class__ is list:
                new = []
                for x in old:
                    if isinstance(x, _AST):
                        x = self.visit(x)
                        if x is None:
                            continue
                        if not isinstance(x, _AST):
                            new.extend(x)
                            continue
                    new.append(x)
                old[:] = new
            elif isinstance(old, _AST):
                new_node = self.visit(old)
                if new_node is None:
                    delattr(node, name)
                else:
                    setattr(node, name, new_node)
        return node

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._methods = {}


class _DivTransformer(_Transformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Div):
            call = ast.Call(func=ast.Name(id='_xmc_div', ctx=ast.Load()),
                            args=[node.left, node.right, ast.Constant(node.lineno),
                                  ast.Constant(node.col_offset + 1),
                                  ast.Constant(node.end_col_offset + 1 if node.end_lineno == node.lineno else 0)],
                            keywords=[])
            return ast.copy_location(call, node)
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Div) and isinstance(node.target, ast.Name):
            call = ast.Call(func=ast.Name(id='_xmc_div', ctx=ast.Load()),
                            args=[ast.Name(id=node.target.id, ctx=ast.Load()), node.value,
                                  ast.Constant(node.lineno), ast.Constant(node.col_offset + 1),
                                  ast.Constant(0)],
                            keywords=[])
            return ast.copy_location(ast.Assign(targets=[node.target], value=call), node)
        return node


def _digit_separator(toks):
    """A number with digit separators in the file's tokens: (message, line, col) or None."""
    for t, after in zip(toks, toks[1:]):  # 1_000 reads as the number 1 and the name _000
        if (t.kind == 'number' and after.kind == 'name' and after.text.startswith('_') and after.line == t.line
                and after.col == t.col + len(t.text)):
            return ("'%s': digit separators are Python 3 syntax; xm's Python 2 could not parse "
                    "the file" % (t.text + after.text), t.line, t.col + 1)
    return None


def _py3_only(nodes):
    """The first construct Python 2 (and so xm) could not parse, among `nodes` (a _walk of
    the tree): (message, line, col) or None."""
    checks = [
        (ast.JoinedStr, 'f-strings'), (ast.NamedExpr, "':='"), (ast.AsyncFunctionDef, "'async def'"),
        (ast.AsyncFor, "'async for'"), (ast.AsyncWith, "'async with'"), (ast.Await, "'await'"),
        (ast.Nonlocal, "'nonlocal'"), (ast.YieldFrom, "'yield from'"),
    ]
    for node in nodes:
        for kind, what in checks:
            if isinstance(node, kind):
                return ('%s are Python 3 syntax; xm\'s Python 2 could not parse the file' % what
                        if what == 'f-strings' else
                        '%s is Python 3 syntax; xm\'s Python 2 could not parse the file' % what,
                        node.lineno, node.col_offset + 1)
        if isinstance(node, (ast.FunctionDef, ast.Lambda)) and (node.args.kwonlyargs or node.args.posonlyargs):
            return ("keyword-only and positional-only parameters are Python 3 syntax; xm's Python 2 "
                    "could not parse the file", node.lineno, node.col_offset + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            return "'@' is Python 3 syntax; xm's Python 2 could not parse the file", node.lineno, node.col_offset + 1
        if isinstance(node, (ast.Assign, ast.For)) and any(
                isinstance(e, ast.Starred) for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                if isinstance(t, (ast.Tuple, ast.List)) for e in t.elts):
            return ("'a, *b = ...' is Python 3 syntax; xm's Python 2 could not parse the file",
                    node.lineno, node.col_offset + 1)
    return None


class _Py2Transformer(_Transformer):
    """Dict and set displays and comprehensions become Python 2 ordered ones; `a % b`
    formats floats with Python 2's str()."""

    @staticmethod
    def _call(name, args, node):
        return ast.copy_location(ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=[]), node)

    def _where(self, node):
        end = node.end_col_offset + 1 if node.end_lineno == node.lineno else 0
        return [ast.Constant(node.lineno), ast.Constant(node.col_offset + 1), ast.Constant(end)]

    def visit_Dict(self, node):
        self.generic_visit(node)
        if any(k is None for k in node.keys):
            return node  # {**x}: Python 3 only, a syntax error for xm
        pairs = ast.List(elts=[ast.Tuple(elts=[k, v], ctx=ast.Load()) for k, v in zip(node.keys, node.values)],
                         ctx=ast.Load())
        return self._call('_xmc_dict', [pairs] + self._where(node), node)

    def visit_Set(self, node):
        self.generic_visit(node)
        return self._call('_xmc_set', [ast.List(elts=node.elts, ctx=ast.Load())], node)

    def visit_DictComp(self, node):
        self.generic_visit(node)
        pairs = ast.GeneratorExp(elt=ast.Tuple(elts=[node.key, node.value], ctx=ast.Load()), generators=node.generators)
        return self._call('_xmc_dict_of', [ast.copy_location(pairs, node)], node)

    def visit_SetComp(self, node):
        self.generic_visit(node)
        items = ast.GeneratorExp(elt=node.elt, generators=node.generators)
        return self._call('_xmc_set', [ast.copy_location(items, node)], node)

    def visit_Call(self, node):
        # set(...), frozenset(...), dict(...): remember where, for the py2-unordered warning.
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in ('set', 'frozenset', 'dict'):
            return self._call('_xmc_placed', [node] + self._where(node), node)
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Mod):
            return self._call('_xmc_mod', [node.left, node.right], node)
        return node


class _ComprehensionHoister:
    """Python 2 list comprehensions run in the enclosing scope and leave their loop
    variables set. Each list comprehension evaluated unconditionally by a module-level
    statement is turned into an explicit loop placed before that statement."""

    def __init__(self, notes):
        self.notes = notes
        self.counter = 0

    def collect(self, node, found):
        if isinstance(node, ast.ListComp):
            found.append(node)
            return
        if isinstance(node, _SKIP_SCOPES + (ast.GeneratorExp, ast.SetComp, ast.DictComp)):
            return
        if isinstance(node, ast.IfExp):
            self.collect(node.test, found)
            return
        if isinstance(node, ast.BoolOp):
            self.collect(node.values[0], found)
            return
        for child in _children(node):
            self.collect(child, found)

    def hoist_statement(self, stmt):
        if isinstance(stmt, (ast.If, ast.For, ast.While, ast.With, ast.Try) + _SKIP_SCOPES):
            return [stmt]
        found = []
        for child in _children(stmt):
            self.collect(child, found)
        if not found:
            return [stmt]
        pre = []
        replacements = {}
        for comp in found:
            self.counter += 1
            var = '_xmc_lc%d' % self.counter
            replacements[id(comp)] = var
            pre.extend(self.build_loop(comp, var))
        stmt = _Replace(replacements).visit(stmt)
        return pre + [stmt]

    def build_loop(self, comp, var):
        names = []
        for gen in comp.generators:
            for n in _walk(gen.target):
                if isinstance(n, ast.Name):
                    names.append(n.id)
        self.notes.append(('py2-leak', comp.lineno, comp.col_offset + 1,
                           comp.end_col_offset + 1 if comp.end_lineno == comp.lineno else 0,
                           tuple(names)))
        append = ast.Expr(value=ast.Call(
            func=ast.Attribute(value=ast.Name(id=var, ctx=ast.Load()), attr='append', ctx=ast.Load()),
            args=[comp.elt], keywords=[]))
        body = self.hoist_statement(append)
        for gen in reversed(comp.generators):
            for cond in reversed(gen.ifs):
                body = [ast.If(test=cond, body=body, orelse=[])]
            body = [ast.For(target=gen.target, iter=gen.iter, body=body, orelse=[])]
        init = ast.Assign(targets=[ast.Name(id=var, ctx=ast.Store())],
                          value=ast.List(elts=[], ctx=ast.Load()))
        out = [init] + body
        for s in out:
            ast.copy_location(s, comp)
            _fix_locations(s)
        return out

    def body(self, stmts):
        out = []
        for s in stmts:
            for field in ('body', 'orelse', 'finalbody'):
                if isinstance(s, (ast.If, ast.For, ast.While, ast.With, ast.Try)) and hasattr(s, field):
                    setattr(s, field, self.body(getattr(s, field)))
            if isinstance(s, ast.Try):
                for h in s.handlers:
                    h.body = self.body(h.body)
            out.extend(self.hoist_statement(s))
        return out


class _Replace(_Transformer):
    def __init__(self, replacements):
        self.replacements = replacements

    def visit_ListComp(self, node):
        var = self.replacements.get(id(node))
        if var is not None:
            return ast.copy_location(ast.Name(id=var, ctx=ast.Load()), node)
        return self.generic_visit(node)


class _AssignRecorder:
    """After every assignment to a name (outside functions and classes) insert a call
    `_xmc_at(index)` recording which assignment ran last, for source positions."""

    def __init__(self):
        self.sites = []  # (name, name_node, value_node)

    def body(self, stmts):
        out = []
        for s in stmts:
            if isinstance(s, (ast.If, ast.For, ast.While, ast.With, ast.Try)):
                for field in ('body', 'orelse', 'finalbody'):
                    if hasattr(s, field):
                        setattr(s, field, self.body(getattr(s, field)))
                if isinstance(s, ast.Try):
                    for h in s.handlers:
                        h.body = self.body(h.body)
            out.append(s)
            targets = []
            value = None
            if isinstance(s, ast.Assign):
                targets, value = s.targets, s.value
            elif isinstance(s, (ast.AugAssign, ast.AnnAssign)):
                targets, value = [s.target], None
            for tgt in targets:
                if isinstance(tgt, ast.Name):
                    self.sites.append((tgt.id, tgt, value))
                    call = ast.Expr(value=ast.Call(func=ast.Name(id='_xmc_at', ctx=ast.Load()),
                                                   args=[ast.Constant(len(self.sites) - 1)], keywords=[]))
                    out.append(_fix_locations(ast.copy_location(call, s)))
        return out


# ---------------------------------------------------------------------------------------
# Conversion of results to plain data.

def _span(node, mapper):
    if node is None:
        return (0, 0, 0)
    col = mapper(node.lineno, node.col_offset + 1)
    end = 0
    if getattr(node, 'end_lineno', None) == node.lineno:
        end = mapper(node.lineno, node.end_col_offset + 1)
    return (node.lineno, col, end)


def _convert(v, node, mapper, depth=0):
    span = _span(node, mapper)
    t = type(v)
    if depth > 64:
        return ('other', 'deep', span, '')
    if v is None:
        return ('none', None, span, '')
    if t is bool:
        return ('bool', v, span, '')
    if t is _xmc_long:
        return ('int', max(-2**63, min(2**63 - 1, int(v))), span, 'long')
    if t is int:
        if -2**63 <= v < 2**63:
            return ('int', v, span, '')
        return ('int', max(-2**63, min(2**63 - 1, v)), span, 'long')
    if t is float:
        return ('float', v, span, '')
    if t is _xmc_unicode:
        return ('str', _utf8(str(v)), span, 'unicode')
    if t is str:
        return ('str', _to_bytes(v), span, '')
    if t is bytes:
        return ('str', v, span, '')
    if t is list or t is tuple:
        elts = None
        if isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) == len(v):
            elts = node.elts
        items = [_convert(x, elts[i] if elts else None, mapper, depth + 1) for i, x in enumerate(v)]
        return ('list', items, span, '' if t is list else 'tuple')
    if t is dict or t is _Py2Dict:
        return ('dict', [(_convert(k, None, mapper, depth + 1), _convert(x, None, mapper, depth + 1))
                         for k, x in v.items()], span, '')
    name = {_Py2Set: 'set', _Py2Float: 'float'}.get(t, t.__name__)
    if isinstance(v, type(os)):
        name = 'module'
    elif callable(v) and not isinstance(v, type):
        name = 'function'
    elif isinstance(v, type):
        name = 'classobj'
    return ('other', name, span, name)


# ---------------------------------------------------------------------------------------
# The entry point called from C++.

_CODING_RE = re.compile(br'^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)')
_codec = 'utf-8'


def _decode_source(data):
    """Python 2's rules for source bytes: ASCII unless a coding declaration stands in the
    first two lines (or a UTF-8 BOM starts the file). Returns (text, codec) or raises
    SyntaxError with a position."""
    nul = data.find(b'\0')
    if nul >= 0:
        line = data.count(b'\n', 0, nul) + 1
        col = nul - (data.rfind(b'\n', 0, nul) + 1) + 1
        raise SyntaxError('the file contains a NUL byte', ('', line, col, ''))
    if data.startswith(b'\xef\xbb\xbf'):
        codec, data = 'utf-8', data[3:]
    else:
        codec = None
        for line in data.split(b'\n', 2)[:2]:
            m = _CODING_RE.match(line)
            if m:
                codec = m.group(1).decode('ascii')
                break
    if codec is None:
        for i, b in enumerate(data):
            if b >= 0x80:
                line = data.count(b'\n', 0, i) + 1
                col = i - (data.rfind(b'\n', 0, i) + 1) + 1
                raise SyntaxError("non-ASCII character '\\x%02x' and no encoding declared; "
                                  "Python 2 (and so xm) rejects the file: add a line "
                                  "'# -*- coding: utf-8 -*-'" % b, ('', line, col, ''))
        codec = 'ascii'
    try:
        return data.decode(codec), codec
    except LookupError:
        raise SyntaxError('unknown encoding: %s' % codec, ('', 1, 1, ''))
    except UnicodeDecodeError as e:
        line = data.count(b'\n', 0, e.start) + 1
        raise SyntaxError('the file is not valid %s' % codec, ('', line, 1, ''))


def _to_bytes(s):
    """A Python 2 str is bytes: literals keep the file's own encoding."""
    try:
        return s.encode(_codec)
    except UnicodeError:
        return _utf8(s)


def evaluate(path, source_bytes, script_vars, xm_file, xm_help, timeout=0.0, host=None):
    """Returns the result as a dict with named fields (see _result):

    bindings: [(name, (line, col, end), value_tuple)]
    notes:    [(key, line, col, end, args)]; key is a catalogue id of the C++ side
    error:    None or (kind, message, line, col, end); kind is syntax, timeout (message:
              the limit in seconds), xm-vars or python
    """
    global _codec
    del _declared[:]
    try:
        src, _codec = _decode_source(source_bytes)
    except SyntaxError as e:
        return _result(error=('syntax', e.msg, e.lineno or 0, e.offset or 0, 0))
    rw = _Rewriter(src)
    notes = rw.notes
    new_src = rw.run()
    mapper = rw.map_col

    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            tree = ast.parse(new_src, path, 'exec')
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        if not isinstance(e, SyntaxError):
            return _result(notes=notes, error=('syntax', 'cannot parse the file: %s' % e, 0, 0, 0))
        line = e.lineno or 0
        col = mapper(line, e.offset or 1) if line else 0
        msg = e.msg
        return _result(notes=notes, error=('syntax', msg, line, col, 0))

    separator = _digit_separator(rw.toks)  # the file's own tokens: its own columns
    if separator is not None:
        return _result(notes=notes, error=('syntax',) + separator + (0,))
    nodes = _walk(tree)
    py3 = _py3_only(nodes)
    if py3 is not None:
        msg, line, col = py3
        return _result(notes=notes, error=('syntax', msg, line, mapper(line, col), 0))
    read_names = sorted({n.id for n in nodes
                         if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)})
    future_division = any(isinstance(s, ast.ImportFrom) and s.module == '__future__'
                          and any(a.name == 'division' for a in s.names) for s in tree.body)
    if not future_division:
        tree = _DivTransformer().visit(tree)
    tree = _Py2Transformer().visit(tree)
    tree.body = _ComprehensionHoister(notes).body(tree.body)
    recorder = _AssignRecorder()
    tree.body = recorder.body(tree.body)
    _fix_locations(tree)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        code = compile(tree, path, 'exec')

    last_site = {}

    def _xmc_at(index):
        last_site[recorder.sites[index][0]] = index

    def _xmc_div(a, b, line, col, end):
        if type(a) in (int, bool, _xmc_long) and type(b) in (int, bool, _xmc_long):
            result = a // b
            if a % b:  # only where Python 3's true division would differ
                notes.append(('py2-division', line, mapper(line, col), mapper(line, end) if end else 0,
                              (repr(a), repr(b), repr(result))))
            return result
        return a / b

    _HOST._ask = host
    if _FORKED is not None:
        modules, config_builtins = _FORKED
    else:
        modules = _make_modules([''])  # the embedded interpreter's argv, as before
        config_builtins = _make_builtins(modules)
    g = {'__builtins__': config_builtins, '_xmc_at': _xmc_at, '_xmc_div': _xmc_div,
         '_xmc_long': _xmc_long, '_xmc_unicode': _xmc_unicode, '__name__': '__xm_config__',
         '_xmc_dict': _Py2Dict._display, '_xmc_dict_of': _Py2Dict, '_xmc_set': _Py2Set, '_xmc_mod': _xmc_mod, '_xmc_placed': _xmc_placed,
         '_xmc_print': _xmc_print, '_xmc_True': True, '_xmc_False': False}
    del _unordered[:]
    del _env_missed[:]
    _config_path[0] = path
    loc = {}
    for (k, v) in script_vars:
        loc[k] = v
    for n in _IP_NAMES:
        loc[n] = globals()[n]
    for m in ('sys', 'os', 're', 'socket', 'struct', 'errno'):
        loc[m] = modules[m]
    loc['Vars'] = Vars
    loc['xm_file'] = xm_file
    loc['xm_help'] = xm_help
    loc['xm_vars'] = Vars(xm_file, xm_help, loc)
    seeded = dict(loc)

    out, err = _CappedIO(), _CappedIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    error = None
    alarm = _Alarm(timeout)
    try:
        with alarm:
            exec(code, g, loc)
    except _EvalTimeout as e:
        error = ('timeout', '%g' % timeout) + _where(e, path, mapper)
    except _XmcRefused as e:
        error = ('refused', str(e)) + _where(e, path, mapper)
    except _VarCheckError as e:
        error = ('xm-vars', str(e)) + _where(e, path, mapper)
    except SyntaxError as e:  # from exec/compile inside the config
        error = ('python', 'SyntaxError: %s' % e.msg) + _where(e, path, mapper)
    except BaseException as e:  # noqa: any exception of the config is reported, not raised
        msg = str(e)
        error = ('python', '%s: %s' % (type(e).__name__, msg) if msg else type(e).__name__) + \
            _where(e, path, mapper)
    finally:
        sys.stdout, sys.stderr = saved

    if _unordered:
        line, col, end = _unordered[0]
        notes.append(('py2-unordered', line, mapper(line, col) if line else 0, mapper(line, end) if end else 0, ()))
    for name, line in _env_missed:
        notes.append(('env-withheld', line, 1 if line else 0, 0, (name,)))
    bindings = []
    first_stores = None
    for name, v in loc.items():
        internal = name
        if name in ('_xmc_True', '_xmc_False'):
            name = name[len('_xmc_'):]  # a rebound True or False, under its own name
        elif name.startswith('_xmc_') or name == '__builtins__':
            continue
        if name in seeded and seeded[name] is v:
            continue
        idx = last_site.get(internal)
        if idx is not None:
            _n, name_node, value_node = recorder.sites[idx]
        else:
            if first_stores is None:
                first_stores = _first_stores(tree)
            name_node, value_node = first_stores.get(internal), None
        bindings.append((name, _span(name_node, mapper), _convert(v, value_node, mapper)))
    declared = list(_declared) + [k for (k, _v) in script_vars]
    return _result(bindings, out.getvalue(), err.getvalue(), notes, error, declared, read_names)


# What the C++ side reads (compiler/frontend/python_result.cc): the result as JSON text. Bytes
# and str travel as Latin-1 code points of their bytes (str: UTF-8, surrogateescape), so
# that any value round-trips; a float that JSON cannot spell travels as its repr.
_OUTPUT_CAP = 1 << 20


def _wire(obj):
    t = type(obj)
    if t is bytes:
        return obj.decode('latin-1')
    if isinstance(obj, str):
        return _to_wire(str(obj))
    if t in (list, tuple):
        return [_wire(x) for x in obj]
    if t is dict:
        return {k: _wire(v) for k, v in obj.items()}
    if t is float and (obj != obj or obj in (float('inf'), float('-inf'))):
        return repr(obj)
    return obj


def evaluate_wire(path, source_bytes, script_vars, xm_file, xm_help, timeout=0.0, host=None, trusted=False):
    """evaluate(), as the JSON text of its result; what the config printed is cut at
    _OUTPUT_CAP bytes per stream (`cut` says so)."""
    global _TRUSTED
    _TRUSTED = bool(trusted)
    r = evaluate(path, source_bytes, script_vars, xm_file, xm_help, timeout, host)
    r['cut'] = False
    for key in ('printed', 'printed_stderr'):
        data = _utf8(r[key])
        if len(data) > _OUTPUT_CAP:
            r[key] = data[:_OUTPUT_CAP]
            r['cut'] = True
    return json.dumps(_wire(r))


def _result(bindings=(), printed='', printed_stderr='', notes=(), error=None, declared=(), read_names=()):
    """The reply to the C++ side: named fields, never positions."""
    return {'ok': error is None, 'bindings': list(bindings), 'printed': printed,
            'printed_stderr': printed_stderr, 'notes': list(notes), 'error': error,
            'declared': list(declared), 'read_names': list(read_names)}


class _Alarm:
    """Interrupts the config after `seconds` (0 = never) with _EvalTimeout."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.old = None

    def __enter__(self):
        import signal
        if self.seconds > 0:
            def fire(signum, frame):
                raise _EvalTimeout()
            self.old = signal.signal(signal.SIGALRM, fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        import signal
        if self.seconds > 0:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)
        return False


class _CappedIO(io.StringIO):
    """What a config prints: kept up to _OUTPUT_CAP characters, the rest counted only."""

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError('write() argument must be str, not %s' % type(text).__name__)
        room = _OUTPUT_CAP + 1 - self.tell()
        if room > 0:
            super().write(text[:room])
        return len(text)


def _first_stores(tree):
    """Each name's first binding node in the tree (breadth first): an assignment target,
    a def or class, an import (None if the import node has no position)."""
    found = {}
    for node in _walk(tree):
        cls = node.__class__
        if cls is ast.Name:
            if node.ctx.__class__ is ast.Store:
                found.setdefault(node.id, node)
        elif cls is ast.FunctionDef or cls is ast.ClassDef:
            found.setdefault(node.name, node)
        elif cls is ast.alias:
            found.setdefault((node.asname or node.name).split('.')[0], node if hasattr(node, 'lineno') else None)
    return found


def _where(exc, path, mapper):
    """(line, col, end) of the innermost frame of the config file in the traceback. Read
    from the code objects, never from the file (linecache would stat it: a sandboxed
    child has no file system)."""
    line = col = end = 0
    if isinstance(exc, SyntaxError) and exc.filename == path and exc.lineno:
        return (exc.lineno, mapper(exc.lineno, exc.offset or 1), 0)
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == path:
            line, col, end = tb.tb_lineno or 0, 0, 0
            positions = list(code.co_positions()) if tb.tb_lasti >= 0 else []
            if line and tb.tb_lasti // 2 < len(positions):
                start_line, end_line, c, e = positions[tb.tb_lasti // 2]
                if c is not None and start_line == line:
                    col = mapper(line, c + 1)
                    end = mapper(line, e + 1) if e is not None and end_line == line else 0
        tb = tb.tb_next
    return (line, col, end)
