#!/usr/bin/env python3
"""Integration test of the built-in `tryton` profile against a real Tryton 6.0.

  run_test.py --backend sqlite3|postgresql --workdir DIR --profile-dir DIR
              [--cskpi PATH] [--reuse]

1. creates a Tryton database with trytond-admin (SQLite: a file in DIR;
   PostgreSQL: database cskpi_tryton on the server of $CSKPI_PG_CONNECTION),
2. fills it through proteus with scenario.py (a known history),
3. runs every SELECT of the profile directly and checks the rows,
4. runs `cskpi compute --json` with the built-in profile and checks KPIs
   against hand-computed values (check.py).

Exit 0 = passed, 1 = failed, 77 = skipped (only when CSKPI_SKIP_TRYTON=1).
--reuse skips steps 1-2 when DIR already holds a filled database (for
working on the profile; the ctest run never passes it).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import warnings

# trytond 6.0 on Python 3.11 emits DeprecationWarnings (crypt, ...): noise.
warnings.simplefilter('ignore', DeprecationWarning)

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
MODULES = ['sale_complaint', 'sale_subscription']
DB_NAME = 'cskpi_tryton'


def log(msg):
    print(f'[tryton {time.strftime("%H:%M:%S")}] {msg}', flush=True)


def parse_conninfo(s):
    out = {}
    for part in s.split():
        if '=' in part:
            k, v = part.split('=', 1)
            out[k] = v
    return out


def require_tryton():
    """Returns None when Tryton is usable, else the reason."""
    missing = []
    if not shutil.which('trytond-admin'):
        missing.append('trytond-admin (package tryton-server)')
    try:
        import trytond  # noqa: F401
        import proteus  # noqa: F401
    except ImportError as e:
        missing.append(f'python module {e.name} (packages tryton-server, tryton-proteus)')
        return ', '.join(missing)
    import trytond
    if not trytond.__version__.startswith('6.0'):
        missing.append(f'trytond 6.0 (found {trytond.__version__})')
    mods = os.path.join(os.path.dirname(trytond.__file__), 'modules')
    for m in MODULES:
        if not os.path.isdir(os.path.join(mods, m)):
            missing.append(f'Tryton module {m} (tryton-modules-{m.replace("_", "-")})')
    return ', '.join(missing) or None


def template_key():
    """Names the installed Tryton release: the versions of every trytond
    distribution (server and modules) and the activated module list."""
    from importlib import metadata
    import hashlib
    dists = sorted(f'{d.metadata["Name"]}=={d.version}' for d in metadata.distributions()
                   if (d.metadata['Name'] or '').lower().startswith('trytond'))
    return hashlib.sha1('\n'.join(dists + MODULES).encode()).hexdigest()[:12]


def pg_tool(name):
    found = shutil.which(name)
    if found:
        return found
    bins = sorted((d for d in os.listdir('/usr/lib/postgresql')), key=lambda v: [int(x) for x in v.split('.')])
    return os.path.join('/usr/lib/postgresql', bins[-1], 'bin', name)


def create_database(backend, workdir, db_file, conninfo, env):
    """Creates the empty Tryton database with trytond-admin (about half a
    minute on SQLite, a minute or more on PostgreSQL, mostly Tryton reading
    PostgreSQL's information_schema). The result is kept in the build tree
    (<workdir>/template-<key>.*, key = installed Tryton versions), and later
    runs start from that copy."""
    key = template_key()
    template = os.path.join(workdir, f'template-{key}.' + ('sqlite' if backend == 'sqlite3' else 'pgdump'))
    for old in os.listdir(workdir):
        if old.startswith('template-') and os.path.join(workdir, old) != template:
            os.remove(os.path.join(workdir, old))
    t0 = time.monotonic()
    if backend == 'sqlite3':
        if os.path.exists(db_file):
            os.remove(db_file)
        if os.path.exists(template):
            shutil.copyfile(template, db_file)
            log(f'database copied from {os.path.basename(template)} in {time.monotonic() - t0:.1f} s')
            return True
        open(db_file, 'wb').close()
    else:
        import psycopg2
        conn = psycopg2.connect(conninfo)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS {DB_NAME}')
            cur.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8'")
        conn.close()
        db_conninfo = ' '.join(f'{k}={v}' for k, v in dict(parse_conninfo(conninfo), dbname=DB_NAME).items())
        if os.path.exists(template):
            r = subprocess.run([pg_tool('pg_restore'), '--no-owner', '-d', db_conninfo, template],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode == 0:
                log(f'database restored from {os.path.basename(template)} in {time.monotonic() - t0:.1f} s')
                return True
            log(f'pg_restore failed, creating the database again:\n{r.stdout}')
            os.remove(template)
            return create_database(backend, workdir, db_file, conninfo, env)
    passfile = os.path.join(workdir, 'admin-password')
    with open(passfile, 'w') as f:
        f.write('cskpi-admin\n')
    log(f'trytond-admin: creating {backend} database {DB_NAME} with {", ".join(MODULES)}')
    r = subprocess.run(['trytond-admin', '-d', DB_NAME, '--all', '-u', *MODULES,
                        '--activate-dependencies', '--email', 'admin@example.com'],
                       env=dict(env, TRYTONPASSFILE=passfile),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        print(r.stdout)
        print(f'FAILED: trytond-admin exited with {r.returncode}')
        return False
    log(f'database ready in {time.monotonic() - t0:.1f} s')
    if backend == 'sqlite3':
        shutil.copyfile(db_file, template + '.tmp')
    else:
        r = subprocess.run([pg_tool('pg_dump'), '-Fc', '-f', template + '.tmp', db_conninfo],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            log(f'pg_dump failed, the database will not be kept:\n{r.stdout}')
            return True
    os.replace(template + '.tmp', template)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--backend', required=True, choices=['sqlite3', 'postgresql'])
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--profile-dir', required=True)
    ap.add_argument('--cskpi')
    ap.add_argument('--reuse', action='store_true')
    args = ap.parse_args()

    if os.environ.get('CSKPI_SKIP_TRYTON') == '1':
        print('SKIPPED: CSKPI_SKIP_TRYTON=1 is set, the Tryton integration test does not run')
        return SKIP
    reason = require_tryton()
    if reason:
        print(f'FAILED: Tryton 6.0 is not installed: missing {reason}.\n'
              'Install it with scripts/install-deps.sh, or set CSKPI_SKIP_TRYTON=1 to skip this test.')
        return 1

    t_start = time.monotonic()
    workdir = os.path.abspath(args.workdir)
    db_file = conninfo = pg = None
    os.makedirs(workdir, exist_ok=True)
    facts_path = os.path.join(workdir, 'facts.json')

    # Where Tryton keeps the database, and how cskpi reaches it.
    if args.backend == 'sqlite3':
        base_uri = 'sqlite://'
        db_file = os.path.join(workdir, DB_NAME + '.sqlite')
        cskpi_connection = f'db={db_file}'
    else:
        conninfo = os.environ.get('CSKPI_PG_CONNECTION')
        if not conninfo:
            print('FAILED: CSKPI_PG_CONNECTION is not set (the ctest fixture "pg" sets it)')
            return 1
        pg = parse_conninfo(conninfo)
        user = pg.get('user', 'postgres')
        cred = user + (':' + pg['password'] if 'password' in pg else '')
        base_uri = f'postgresql://{cred}@{pg.get("host", "127.0.0.1")}:{pg.get("port", "5432")}/'
        pg_db = dict(pg, dbname=DB_NAME)
        cskpi_connection = ' '.join(f'{k}={v}' for k, v in pg_db.items())
    # trytond reads its configuration from TRYTOND_<SECTION>__<OPTION>
    # variables; its test helpers (imported by the scenario) want DB_NAME.
    tryton_env = {'TRYTOND_DATABASE__URI': base_uri, 'TRYTOND_DATABASE__PATH': workdir,
                  'DB_NAME': DB_NAME}
    os.environ.update(tryton_env)
    env = dict(os.environ)

    if args.reuse and os.path.exists(facts_path):
        log(f'reusing the database of {facts_path}')
        with open(facts_path) as f:
            facts = json.load(f)
    else:
        # 1. A Tryton database with the modules activated, no data.
        if not create_database(args.backend, workdir, db_file, conninfo, env):
            return 1

        # 2. The scenario, through proteus on the trytond backend.
        import datetime as dt
        from proteus import config as pconfig
        import trytond.report  # noqa: F401 (it resets the warning filters)
        warnings.simplefilter('ignore', DeprecationWarning)
        import scenario
        today = dt.datetime.now(dt.timezone.utc).date()
        t0 = time.monotonic()
        pconfig.set_trytond(database=base_uri.rstrip('/') + '/' + DB_NAME)
        facts = scenario.build(today)
        facts['backend'] = args.backend
        with open(facts_path, 'w') as f:
            json.dump(facts, f, indent=1)
        log(f'scenario written in {time.monotonic() - t0:.1f} s')

    # 3 and 4.
    import check
    ok = check.run_all(facts, args.backend, args.profile_dir,
                       db_file if args.backend == 'sqlite3' else pg_db,
                       args.cskpi, cskpi_connection, workdir)
    log(f'{"passed" if ok else "FAILED"} in {time.monotonic() - t_start:.1f} s')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.path.insert(0, HERE)
    sys.exit(main())
