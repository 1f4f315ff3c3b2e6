"""A throwaway Virtuoso 7 server for the tests: its own database in a temp folder, loopback ports.

Debian's `virtuoso-opensource-7` is the server many ministries already run. The tests start
`virtuoso-t +foreground` with a virtuoso.ini written here (database, log and lock files in the temp
folder, free SQL and HTTP ports, no plugins, results not capped at Virtuoso's default 10,000
rows), wait for /sparql to answer, and stop the process group afterwards: nothing is left running
and nothing outside the folder is touched. Writes go where the README tells users to send them:
/sparql-auth with the `dba` account (digest), the default of a fresh database.
"""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from servers import Proc, free_port

USER, PASSWORD = "dba", "dba"  # a fresh database's administrator; the database lives for one test module

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 0
ThreadsPerQuery = 2
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}/vsp
ServerThreads = 8
MaxClientConnections = 8
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
"""


def virtuoso_binary() -> str:
    exe = shutil.which("virtuoso-t")
    if exe is None:
        pytest.skip("Virtuoso is absent: apt-get install virtuoso-opensource-7 (Debian, Ubuntu)")
    return exe


def virtuoso_serve(folder: Path) -> tuple[Proc, str]:
    """Virtuoso on free loopback ports with a new database in `folder`; (process, /sparql URL)."""
    exe = virtuoso_binary()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    p = Proc([exe, "+foreground", "+configfile", str(ini)], cwd=folder)
    url = f"http://127.0.0.1:{http}/sparql"
    end = time.monotonic() + 120  # a new database is created on the first start: some seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5):
                return p, url
        except (urllib.error.URLError, ConnectionError, OSError):
            if p.p.poll() is not None:
                break
            time.sleep(0.2)
    log = (folder / "virtuoso.log").read_text(errors="replace")[-2000:] if (folder / "virtuoso.log").exists() else ""
    p.stop()
    raise RuntimeError("virtuoso-t did not start: " + "\n".join(p.lines[-20:]) + log)
