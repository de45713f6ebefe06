#!/usr/bin/env python3
"""Live test of the Tryton module hosts/tryton/cskpi on one backend.

  module_test.py --backend sqlite3|postgresql --workdir DIR
                 --module-dir hosts/tryton/cskpi --binding-dir hosts/python
                 --library build/plugin/libcskpi.so.1

1. makes the module importable as trytond.modules.cskpi from the source
   tree (an entry point of group trytond.modules, as a pip-installed module
   would have), the binding from --binding-dir and the library from
   --library;
2. runs trytond's ModuleTestCase on a database with cskpi and
   sale_complaint activated (activate_module; the empty activated database
   is cached in DIR, keyed by the installed Tryton and the module's files);
3. on the same database, runs module_scenario.py: data entered through
   proteus, the cron method, the views, the report, a failing run and two
   runs at once.
Exit 0 = passed, 1 = failed, 77 = skipped (only when CSKPI_SKIP_TRYTON=1).
"""
import argparse
import fcntl
import hashlib
import os
import shutil
import sys
import time
import unittest
import warnings

warnings.simplefilter('ignore', DeprecationWarning)
HERE = os.path.dirname(os.path.abspath(__file__))
DB_NAME = 'cskpi_module'
MODULES = ['cskpi', 'sale_complaint']   # as test_module.CskpiTestCase
# Held shared while the test runs: install_debs holds it exclusively while
# the Debian packages (which put a cskpi module into trytond's own modules
# directory) are installed, on this machine, from any build tree.
SYSTEM_PACKAGES_LOCK = '/tmp/cskpi-system-packages.lock'


def log(msg):
    print(f'[tryton module {time.strftime("%H:%M:%S")}] {msg}', flush=True)


def tree_hash(*dirs):
    h = hashlib.sha1()
    for d in dirs:
        for root, subdirs, files in sorted(os.walk(d)):
            # (the module's tests do not change the activated database)
            subdirs[:] = sorted(s for s in subdirs if s not in ('__pycache__', 'tests'))
            for f in sorted(files):
                if f.endswith('.pyc'):
                    continue
                with open(os.path.join(root, f), 'rb') as fh:
                    h.update(f.encode() + fh.read())
    return h.hexdigest()[:12]


def module_site(workdir, module_dir):
    """A directory for sys.path holding trytond/modules/cskpi (a link to the
    source) and the entry point that makes trytond list the module."""
    site = os.path.join(workdir, 'site')
    shutil.rmtree(site, ignore_errors=True)
    os.makedirs(os.path.join(site, 'trytond', 'modules'))
    os.symlink(os.path.abspath(module_dir), os.path.join(site, 'trytond', 'modules', 'cskpi'))
    info = os.path.join(site, 'trytond_cskpi.egg-info')
    os.makedirs(info)
    with open(os.path.join(info, 'PKG-INFO'), 'w') as f:
        f.write('Metadata-Version: 1.1\nName: trytond_cskpi\nVersion: 6.0.0\n')
    with open(os.path.join(info, 'entry_points.txt'), 'w') as f:
        f.write('[trytond.modules]\ncskpi = trytond.modules.cskpi\n')
    return site


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--backend', required=True, choices=['sqlite3', 'postgresql'])
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--module-dir', required=True)
    ap.add_argument('--binding-dir', required=True)
    ap.add_argument('--library', required=True)
    args = ap.parse_args()
    if os.environ.get('CSKPI_SKIP_TRYTON') == '1':
        print('SKIPPED: CSKPI_SKIP_TRYTON=1 is set, the Tryton module test does not run')
        return 77
    t_start = time.monotonic()
    workdir = os.path.abspath(args.workdir)
    os.makedirs(workdir, exist_ok=True)
    lock = open(SYSTEM_PACKAGES_LOCK, 'a')  # noqa: SIM115 (held until exit)
    fcntl.flock(lock, fcntl.LOCK_SH)

    if args.backend == 'sqlite3':
        uri = 'sqlite://'
    else:
        conninfo = os.environ.get('CSKPI_PG_CONNECTION')
        if not conninfo:
            print('FAILED: CSKPI_PG_CONNECTION is not set (the ctest fixture "pg" sets it)')
            return 1
        pg = dict(p.split('=', 1) for p in conninfo.split() if '=' in p)
        uri = f'postgresql://{pg.get("user", "postgres")}@{pg.get("host", "127.0.0.1")}:{pg.get("port", "5432")}/'
        # pg_dump / pg_restore of trytond's database cache.
        os.environ.update(PGHOST=pg.get('host', '127.0.0.1'), PGPORT=pg.get('port', '5432'),
                          PGUSER=pg.get('user', 'postgres'))
    site = module_site(workdir, args.module_dir)
    # The activated database is cached per installed Tryton and module text.
    from importlib import metadata
    versions = sorted(f'{d.metadata["Name"]}=={d.version}' for d in metadata.distributions()
                      if (d.metadata['Name'] or '').lower().startswith('trytond'))
    key = hashlib.sha1(('\n'.join(versions) + tree_hash(args.module_dir)).encode()).hexdigest()[:12]
    cache = os.path.join(workdir, 'cache-' + key)
    for old in os.listdir(workdir):
        if old.startswith('cache-') and old != os.path.basename(cache):
            shutil.rmtree(os.path.join(workdir, old), ignore_errors=True)
    os.environ.update(TRYTOND_DATABASE__URI=uri, TRYTOND_DATABASE__PATH=workdir,
                      DB_NAME=DB_NAME, DB_CACHE=cache, CSKPI_LIBRARY=os.path.abspath(args.library))
    # Before trytond and pkg_resources are imported: they read sys.path once.
    sys.path[:0] = [os.path.abspath(args.binding_dir), site, HERE]
    import trytond.modules
    trytond.modules.__path__.insert(0, os.path.join(site, 'trytond', 'modules'))
    from trytond.pool import Pool
    from trytond.tests import test_tryton
    import trytond.modules.cskpi as module
    if not module.__file__.startswith(site):
        print(f'FAILED: trytond.modules.cskpi is {module.__file__}, not the source tree')
        return 1
    # trytond restores its PostgreSQL cache itself, the SQLite one only into
    # an existing file (6.0): for SQLite the cached file is copied in place.
    restore_db_cache = test_tryton.restore_db_cache

    def restore(name):
        cached = test_tryton._db_cache_file(cache, name)
        if args.backend != 'sqlite3' or not os.path.exists(cached):
            return restore_db_cache(name)
        shutil.copyfile(cached, os.path.join(workdir, DB_NAME + '.sqlite'))
        Pool(DB_NAME).init()
        return True
    test_tryton.restore_db_cache = restore

    def fresh_database():
        """The activated database without data (from the cache)."""
        test_tryton.drop_db()   # the previous run's scenario data
        test_tryton.activate_module(MODULES)

    fresh_database()
    log(f'ModuleTestCase on {args.backend}')
    t0 = time.monotonic()
    from trytond.modules.cskpi.tests import test_module
    result = unittest.TextTestRunner(verbosity=1).run(test_module.suite())
    log(f'ModuleTestCase: {result.testsRun} tests in {time.monotonic() - t0:.1f} s')
    if not result.wasSuccessful():
        return 1

    log('scenario')
    fresh_database()   # ModuleTestCase dropped it
    import module_scenario
    ok = module_scenario.run(DB_NAME, args.backend)
    log(f'{"passed" if ok else "FAILED"} in {time.monotonic() - t_start:.1f} s')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
